package io.lagsnap.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aReplaceNamesTheVersionItRead() throws Exception {
        FileStateStore store = new FileStateStore(dir, "trend.json.gz");
        assertThat(store.read("prod")).isEmpty();

        assertThat(store.replace("prod", utf8("one"), null)).isTrue();
        StateStore.Stored first = store.read("prod").orElseThrow();
        assertThat(first.bytes()).isEqualTo(utf8("one"));

        assertThat(store.replace("prod", utf8("two"), null)).as("create-only once something is stored").isFalse();
        assertThat(store.replace("prod", utf8("two"), first.version())).isTrue();
        assertThat(store.replace("prod", utf8("three"), first.version())).as("a stale version").isFalse();
        assertThat(store.read("prod").orElseThrow().bytes()).isEqualTo(utf8("two"));
        assertThat(Files.readAllBytes(dir.resolve("cluster=prod/trend.json.gz"))).isEqualTo(utf8("two"));
    }

    @Test
    void aClusterNameCannotLeaveTheDirectory() throws Exception {
        FileStateStore store = new FileStateStore(dir, "trend.json.gz");
        assertThat(store.replace("../../etc", utf8("x"), null)).isTrue();
        assertThat(store.file("../../etc")).isEqualTo(dir.resolve("cluster=..%2F..%2Fetc/trend.json.gz"));
        assertThat(Files.exists(dir.resolve("cluster=..%2F..%2Fetc/trend.json.gz"))).isTrue();
    }

    /** Eight writers that each read, add one line and replace, retrying on a conflict: no update is lost. */
    @Test
    void overlappingWritersNeverLoseAnUpdate() throws Exception {
        FileStateStore store = new FileStateStore(dir, "trend.json.gz");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        while (true) {
                            var current = store.read("prod");
                            String text = current.map(s -> new String(s.bytes(), StandardCharsets.UTF_8)).orElse("");
                            if (store.replace("prod", utf8(text + writer + "." + i + "\n"),
                                    current.map(StateStore.Stored::version).orElse(null))) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String stored = new String(store.read("prod").orElseThrow().bytes(), StandardCharsets.UTF_8);
        assertThat(stored.lines()).hasSize(40).doesNotHaveDuplicates();
    }
}
