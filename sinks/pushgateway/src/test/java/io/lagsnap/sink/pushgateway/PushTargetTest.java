package io.lagsnap.sink.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushTargetTest {
    @Test
    void groupingKeyValuesArePathSegmentsWithSpacesAsPercent20AndBase64ForSlashesAndEmptyValues() {
        PushTarget target = new PushTarget(URI.create("http://pgw:9091/a+b/"), "lag snap",
                Map.of("env", "c+d", "team", ""), PushAuth.NONE);

        assertThat(target.groupUrl(Map.of("cluster_name", "eu west", "shard", "1/4")).toString()).isEqualTo(
                "http://pgw:9091/a+b/metrics/job/lag%20snap/cluster_name/eu%20west/env/c%2Bd/shard@base64/MS80"
                        + "/team@base64/=");
    }

    @Test
    void dotAndDotDotAreBase64NotPathSegmentsARedirectWouldResolve() {
        PushTarget target = new PushTarget(URI.create("http://pgw:9091"), ".", Map.of("env", ".."), PushAuth.NONE);

        assertThat(target.groupUrl(Map.of("cluster_name", ".x")).toString()).isEqualTo(
                "http://pgw:9091/metrics/job@base64/Lg==/cluster_name/.x/env@base64/Li4=");
    }
}
