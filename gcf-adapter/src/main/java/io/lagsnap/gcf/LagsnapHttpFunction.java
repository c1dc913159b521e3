package io.lagsnap.gcf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.lagsnap.core.invocation.ConfigSource.Overrides;
import io.lagsnap.core.invocation.Invocation;
import io.lagsnap.sink.api.config.ConfigException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * HTTP entry point {@code io.lagsnap.gcf.LagsnapHttpFunction} (Cloud Scheduler HTTP target, any method). The body
 * may be empty or a JSON object such as {@code {"clusters": [...], "shard": "0/4"}}. Answers 200 with the run
 * report, 500 with the report when {@code LAGSNAP_FAIL_ON} counts the run as failed, 400 with
 * {@code {"error": ...}} on a config error or a body that is not a JSON object (nothing was contacted).
 */
public final class LagsnapHttpFunction implements HttpFunction {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionRun run;

    public LagsnapHttpFunction() {
        this(System::getenv);
    }

    LagsnapHttpFunction(UnaryOperator<String> env) {
        this.run = new FunctionRun(env, new GcsConfigReader());
    }

    @Override
    public void service(HttpRequest request, HttpResponse response) throws IOException {
        Invocation.Arrival arrival = Invocation.Arrival.now();
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        response.setContentType("application/json");
        FunctionRun.Result result;
        try {
            result = run.run(arrival, Overrides.fromJson(body, "request body"));
        } catch (ConfigException e) {
            response.setStatusCode(400);
            write(response, JSON.writeValueAsString(Map.of("error", e.getMessage())));
            return;
        }
        response.setStatusCode(result.failed() ? 500 : 200);
        write(response, result.report().toJson());
    }

    private static void write(HttpResponse response, String json) throws IOException {
        try (Writer out = response.getWriter()) {
            out.write(json);
        }
    }
}
