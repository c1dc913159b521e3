package io.lagsnap.sink.api.format;

import static org.owasp.encoder.Encode.forXmlAttribute;

import io.lagsnap.sink.api.model.LagPoint;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The one inline SVG chart of lagsnap's pages (the status page, {@code lagsnap history --html}): lag over time as a
 * polyline, and time lag as a second, dashed polyline ({@code class="time"}) through the points that have one. Each
 * line has its own scale: x by time across the points' span, y from 0 (bottom) to the line's max (top). Plain SVG
 * markup, no script and no external reference, so it fits a {@code default-src 'none'} page; the page styles the
 * lines with {@link #STYLE}.
 */
public final class SvgChart {
    /** The lines' CSS: the lag solid blue, the time lag dashed amber. */
    public static final String STYLE = "polyline{fill:none;stroke:#0969da;stroke-width:1.5}"
            + "polyline.time{stroke:#bf8700;stroke-dasharray:4 3}";

    private SvgChart() {
    }

    /** {@code <svg>} of {@code width} x {@code height} user units, labelled for screen readers; points oldest first. */
    public static String svg(List<LagPoint> points, int width, int height, String label) {
        StringBuilder svg = new StringBuilder("<svg viewBox=\"0 0 " + width + " " + height + "\" role=\"img\" "
                + "aria-label=\"" + forXmlAttribute(label) + "\">\n<polyline points=\""
                + polyline(points, p -> p.lag(), width, height) + "\"/>\n");
        List<LagPoint> timed = points.stream().filter(p -> p.lagSeconds() != null).toList();
        if (!timed.isEmpty()) {
            svg.append("<polyline class=\"time\" points=\"")
                    .append(polyline(points, timed, LagPoint::lagSeconds, width, height)).append("\"/>\n");
        }
        return svg.append("</svg>").toString();
    }

    private static String polyline(List<LagPoint> points, ToDoubleFunction<LagPoint> y, int width, int height) {
        return polyline(points, points, y, width, height);
    }

    /** {@code drawn}'s coordinates, x over the time span of all {@code points} so both lines share the time axis. */
    private static String polyline(List<LagPoint> points, List<LagPoint> drawn, ToDoubleFunction<LagPoint> y,
                                   int width, int height) {
        long t0 = points.get(0).time().toEpochMilli();
        long span = Math.max(1, points.get(points.size() - 1).time().toEpochMilli() - t0);
        double max = drawn.stream().mapToDouble(y).max().orElse(0);
        double top = max > 0 ? max : 1;
        StringBuilder sb = new StringBuilder();
        for (LagPoint p : drawn) {
            double px = (p.time().toEpochMilli() - t0) * (double) width / span;
            double py = height - y.applyAsDouble(p) * height / top;
            sb.append(sb.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
        }
        return sb.toString();
    }
}
