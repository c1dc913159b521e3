package io.lagsnap.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lagsnap.testkit.CliProcess;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servers on loopback that answer 400, 401 and 500 with every request header echoed in the body, behind a
 * Pushgateway sink (Bearer and Basic auth) and an OTLP sink (API-key and Authorization headers) each: no secret,
 * nor the base64 form of the Basic credential, may reach stdout, stderr, the run report or any file, at INFO or
 * DEBUG. Before the fix the bodies went whole into the report and the log, with every header.
 */
class HostileServersTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final String PUSH_TOKEN = "push-B3arer-q8Wd";
    private static final String PUSH_PASSWORD = "push-Pa55-z4Lk";
    private static final String OTLP_KEY = "otlp-K3y-m1Nr";
    private static final String OTLP_TOKEN = "otlp-B3arer-t6Hs";
    private static final String BASIC = Base64.getEncoder().encodeToString(("pusher:" + PUSH_PASSWORD)
            .getBytes(StandardCharsets.UTF_8));

    private static HttpServer hostile;
    /** Bodies the servers sent: proof that they did echo the secrets. */
    private static final List<String> echoed = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void startHostileServers() throws Exception {
        hostile = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hostile.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            StringBuilder body = new StringBuilder("bad request; you sent:\n");
            exchange.getRequestHeaders().forEach((name, values) -> body.append(name).append(": ")
                    .append(String.join(",", values)).append('\n'));
            String first = exchange.getRequestURI().getPath().split("/")[1];
            int status = Integer.parseInt(first.substring(1));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            synchronized (echoed) {
                echoed.add(body.toString());
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        hostile.start();
    }

    @AfterAll
    static void stop() {
        hostile.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"info", "debug"})
    void noSecretEchoedByAServerReachesAnyOutput(String level) throws Exception {
        Path out = Files.createDirectories(dir.resolve(level));
        String base = "http://127.0.0.1:" + hostile.getAddress().getPort();
        StringBuilder sinks = new StringBuilder();
        for (int status : new int[] {400, 401, 500}) {
            sinks.append("""
                    [[sinks]]
                    type = "pushgateway"
                    name = "pgw-bearer-%1$d"
                    url = "%2$s/s%1$d"
                    bearer_token_env = "PUSH_TOKEN"
                    retries = 0
                    timeout = "2s"
                    [[sinks]]
                    type = "pushgateway"
                    name = "pgw-basic-%1$d"
                    url = "%2$s/s%1$d"
                    username = "pusher"
                    password_env = "PUSH_PASSWORD"
                    retries = 0
                    timeout = "2s"
                    [[sinks]]
                    type = "otlp"
                    name = "otlp-%1$d"
                    endpoint = "%2$s/s%1$d"
                    retries = 0
                    timeout = "2s"
                    headers = { x-api-key = "${OTLP_KEY}", Authorization = "Bearer ${OTLP_TOKEN}" }
                    """.formatted(status, base));
        }
        Path config = out.resolve("config.toml");
        Files.writeString(config, """
                [run]
                deadline = "30s"
                [[clusters]]
                name = "c"
                bootstrap_servers = "%s"
                [[sinks]]
                type = "file"
                format = "json"
                path = "%s"
                %s""".formatted(KAFKA.broker().bootstrapServers(), out.resolve("rows.ndjson"), sinks));

        CliProcess.Result run = CliProcess.start("hostile-" + level, config, Map.of("PUSH_TOKEN", PUSH_TOKEN,
                        "PUSH_PASSWORD", PUSH_PASSWORD, "OTLP_KEY", OTLP_KEY, "OTLP_TOKEN", OTLP_TOKEN), out,
                List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + level)).await(Duration.ofSeconds(90));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        synchronized (echoed) {
            assertThat(String.join("", echoed)).contains(PUSH_TOKEN, BASIC, OTLP_KEY, OTLP_TOKEN);
        }
        // the failures are reported, with the server's (scrubbed, cut) words
        assertThat(run.stderr()).contains("\"name\":\"pgw-basic-401\"", "\"name\":\"otlp-500\"", "[redacted]");
        List<Path> files;
        try (var walk = Files.walk(out)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            for (String secret : List.of(PUSH_TOKEN, PUSH_PASSWORD, BASIC, OTLP_KEY, OTLP_TOKEN)) {
                if (!file.getFileName().toString().equals("config.toml")) {
                    assertThat(text).as("%s in %s", secret, file.getFileName()).doesNotContain(secret);
                }
            }
        }
    }
}
