package io.lagsnap.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Every .tf file below a root, parsed offline by {@code scripts/hcl2json.mjs} (npm {@code @cdktf/hcl2json}), grouped
 * by directory: a directory is one Terraform module (or root).
 */
final class HclTree {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The directory holding scripts/hcl2json.mjs, found from the working directory (Surefire runs in terraform/). */
    static Path terraformDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/hcl2json.mjs"))) {
                return p;
            }
            if (Files.isRegularFile(p.resolve("terraform/scripts/hcl2json.mjs"))) {
                return p.resolve("terraform");
            }
        }
        throw new IllegalStateException("cannot find terraform/scripts/hcl2json.mjs above " + dir);
    }

    /** Result of one run of the script: exit code, stdout, stderr. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    static Run runScript(Path... roots) {
        Path tf = terraformDir();
        if (!Files.isDirectory(tf.resolve("node_modules/@cdktf/hcl2json"))) {
            throw new IllegalStateException("The HCL parser is not installed: run `npm ci --prefix terraform` from the "
                    + "repository root first (it installs the pinned @cdktf/hcl2json from terraform/package-lock.json).");
        }
        List<String> cmd = new ArrayList<>(List.of("node", tf.resolve("scripts/hcl2json.mjs").toString()));
        for (Path r : roots) {
            cmd.add(r.toAbsolutePath().toString());
        }
        try {
            Path out = Files.createTempFile("hcl2json", ".json");
            Path err = Files.createTempFile("hcl2json", ".err");
            try {
                Process p = new ProcessBuilder(cmd).directory(tf.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("hcl2json did not finish within 120 s");
                }
                return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node (is Node.js installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    final Path root;
    /** relative file path -> parsed file */
    final Map<String, JsonNode> files;
    /** relative directory ("" for the root itself) -> its files */
    final Map<String, Map<String, JsonNode>> dirs = new TreeMap<>();

    private HclTree(Path root, Map<String, JsonNode> files) {
        this.root = root;
        this.files = files;
        files.forEach((path, json) -> {
            int slash = path.lastIndexOf('/');
            String dir = slash < 0 ? "" : path.substring(0, slash);
            dirs.computeIfAbsent(dir, d -> new TreeMap<>()).put(path, json);
        });
    }

    /** Parses every .tf file below root; throws with the script's message when a file does not parse. */
    static HclTree load(Path root) {
        Run run = runScript(root);
        if (run.exitCode() != 0) {
            throw new AssertionError("hcl2json failed (exit " + run.exitCode() + "): " + run.stderr().trim());
        }
        try {
            JsonNode doc = JSON.readTree(run.stdout());
            Map<String, JsonNode> files = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
                var e = it.next();
                files.put(e.getKey(), e.getValue());
            }
            return new HclTree(root, files);
        } catch (IOException e) {
            throw new AssertionError("hcl2json printed no valid JSON: " + e.getMessage(), e);
        }
    }

    Path dirPath(String dir) {
        return dir.isEmpty() ? root : root.resolve(dir);
    }

    /** Directories of the form modules/X or examples/X. */
    List<String> moduleAndExampleDirs() {
        return dirs.keySet().stream().filter(d -> d.matches("(modules|examples)/[^/]+")).toList();
    }
}
