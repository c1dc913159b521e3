package io.lagsnap.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The result file: pretty-printed JSON with snake_case keys, read back by the tests and by later comparisons. */
public final class BenchJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private BenchJson() {
    }

    public static String write(BenchResult result) throws IOException {
        return JSON.writeValueAsString(result) + "\n";
    }

    public static void write(BenchResult result, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, write(result));
    }

    public static BenchResult read(String json) throws IOException {
        return JSON.readValue(json, BenchResult.class);
    }
}
