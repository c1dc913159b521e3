package io.lagsnap.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.format.SvgChart;
import io.lagsnap.sink.api.model.LagPoint;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one chart encoder's exact markup (the status page and {@code lagsnap history --html} both draw with it). */
class SvgChartTest {
    private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

    @Test
    void withoutAnyTimeLagOnlyTheLagLineIsDrawnAndALagOfZeroLiesOnTheBottom() {
        assertThat(SvgChart.svg(List.of(new LagPoint(T0, 0, null), new LagPoint(T0.plusSeconds(30), 0, null),
                new LagPoint(T0.plusSeconds(120), 0, null)), 100, 20, "lag of <g>"))
                .isEqualTo("<svg viewBox=\"0 0 100 20\" role=\"img\" aria-label=\"lag of &lt;g>\">\n"
                        + "<polyline points=\"0.0,20.0 25.0,20.0 100.0,20.0\"/>\n</svg>");
    }

    @Test
    void eachLineHasItsOwnScaleOnTheSharedTimeAxis() {
        // lag 10 then 5; time lag 2 s then 8 s: each line's own maximum is its top
        assertThat(SvgChart.svg(List.of(new LagPoint(T0, 10, 2.0), new LagPoint(T0.plusSeconds(60), 5, 8.0)),
                100, 20, "g"))
                .isEqualTo("<svg viewBox=\"0 0 100 20\" role=\"img\" aria-label=\"g\">\n"
                        + "<polyline points=\"0.0,0.0 100.0,10.0\"/>\n"
                        + "<polyline class=\"time\" points=\"0.0,15.0 100.0,0.0\"/>\n</svg>");
    }
}
