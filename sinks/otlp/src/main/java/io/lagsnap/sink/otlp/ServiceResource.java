package io.lagsnap.sink.otlp;

import io.lagsnap.sink.api.KafkaCluster;
import io.lagsnap.sink.api.model.Shard;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The OTLP resource of every run of one deployment: the SDK's defaults (telemetry.sdk.*), service.name=lagsnap, a
 * service.instance.id that stays the same from run to run, and where the run executes when the platform says so
 * through its environment: AWS Lambda (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION) or Google Cloud Functions (K_SERVICE or
 * FUNCTION_TARGET, GOOGLE_CLOUD_REGION or FUNCTION_REGION).
 *
 * <p>Prometheus-compatible backends turn service.name and service.instance.id into the {@code job} and
 * {@code instance} labels, so an id that changed per run (the run id) would start new series every run and no
 * {@code for:} clause would ever elapse. The id is {@code lagsnap/NAME[/REGION]/shard-I-of-N}: NAME is the
 * {@code service_instance_id} key if set, else the function's name, else the monitored cluster names joined by "+".
 * The run id is not sent at all.
 */
final class ServiceResource {
    private final Resource resource;

    ServiceResource(UnaryOperator<String> env, List<KafkaCluster> clusters, Shard shard, String configuredName) {
        AttributesBuilder platform = Attributes.builder();
        String lambda = firstSet(env, "AWS_LAMBDA_FUNCTION_NAME");
        String function = firstSet(env, "K_SERVICE", "FUNCTION_TARGET");
        String region = null;
        if (lambda != null) {
            region = firstSet(env, "AWS_REGION");
            platform.put("cloud.provider", "aws").put("faas.name", lambda);
        } else if (function != null) {
            region = firstSet(env, "GOOGLE_CLOUD_REGION", "FUNCTION_REGION");
            platform.put("cloud.provider", "gcp").put("faas.name", function);
        }
        if (region != null) {
            platform.put("cloud.region", region);
        }
        String name = configuredName != null ? configuredName : lambda != null ? lambda : function != null ? function
                : String.join("+", clusters.stream().map(KafkaCluster::name).sorted().toList());
        String instance = "lagsnap/" + name + (region != null ? "/" + region : "")
                + "/shard-" + shard.index() + "-of-" + shard.count();
        this.resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", "lagsnap")
                .put("service.instance.id", instance)
                .putAll(platform.build())
                .build()));
    }

    Resource resource() {
        return resource;
    }

    private static String firstSet(UnaryOperator<String> env, String... names) {
        for (String name : names) {
            String v = env.apply(name);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
