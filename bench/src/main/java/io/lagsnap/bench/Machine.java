package io.lagsnap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a result comes from: timings mean little without it. The load averages show how busy the (shared)
 * machine was when the run started and ended.
 */
public record Machine(String cpu, int cpus, long memoryMb, String jdk, String os, String loadAtStart,
                      String loadAtEnd) {

    public static Machine current(String loadAtStart) {
        return new Machine(readCpuModel(), Runtime.getRuntime().availableProcessors(), readMemoryMb(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), loadAtStart, null);
    }

    public Machine endedWith(String load) {
        return new Machine(cpu, cpus, memoryMb, jdk, os, loadAtStart, load);
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code "0.52 0.61 0.70"}. */
    public static String loadAverage() {
        List<String> fields = List.of(read("/proc/loadavg").split("\\s+"));
        return fields.size() >= 3 ? String.join(" ", fields.subList(0, 3)) : "unknown";
    }

    private static String readCpuModel() {
        return read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }

    private static long readMemoryMb() {
        return read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(0L);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code "2 CPUs (model), 23.5 GiB, JDK ..."}. */
    public String summary() {
        return String.format(Locale.ROOT, "%d CPUs (%s), %.1f GiB RAM, %s, %s", cpus, cpu, memoryMb / 1024.0, jdk, os);
    }
}
