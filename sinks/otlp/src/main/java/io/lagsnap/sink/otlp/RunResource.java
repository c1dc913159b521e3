package io.lagsnap.sink.otlp;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.function.UnaryOperator;

/**
 * The OTLP resource of a run: the SDK's defaults (telemetry.sdk.*), service.name=lagsnap, the run id as
 * service.instance.id, and where the run executes when the platform says so through its environment: AWS Lambda
 * (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION) or Google Cloud Functions (K_SERVICE or FUNCTION_TARGET,
 * GOOGLE_CLOUD_REGION or FUNCTION_REGION).
 */
final class RunResource {
    private final Attributes platform;

    RunResource(UnaryOperator<String> env) {
        this.platform = platform(env);
    }

    Resource forRun(String runId) {
        return Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", "lagsnap")
                .put("service.instance.id", runId)
                .putAll(platform)
                .build()));
    }

    private static Attributes platform(UnaryOperator<String> env) {
        AttributesBuilder b = Attributes.builder();
        String lambda = firstSet(env, "AWS_LAMBDA_FUNCTION_NAME");
        String function = firstSet(env, "K_SERVICE", "FUNCTION_TARGET");
        if (lambda != null) {
            b.put("cloud.provider", "aws").put("faas.name", lambda);
            putIfSet(b, "cloud.region", env.apply("AWS_REGION"));
        } else if (function != null) {
            b.put("cloud.provider", "gcp").put("faas.name", function);
            putIfSet(b, "cloud.region", firstSet(env, "GOOGLE_CLOUD_REGION", "FUNCTION_REGION"));
        }
        return b.build();
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

    private static void putIfSet(AttributesBuilder b, String key, String value) {
        if (value != null && !value.isBlank()) {
            b.put(key, value);
        }
    }
}
