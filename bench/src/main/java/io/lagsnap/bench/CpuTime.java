package io.lagsnap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this JVM's finished child processes: the kernel adds a child's user and system time to its parent's
 * cutime and cstime when the parent reaps it, so the difference around one subprocess is exactly that process's CPU.
 */
final class CpuTime {
    /** Linux's USER_HZ, the unit of /proc/PID/stat's times, on every architecture lagsnap is benchmarked on. */
    private static final long TICKS_PER_SECOND = 100;

    private CpuTime() {
    }

    /** cutime + cstime of this process, in milliseconds. */
    static long reapedChildrenMs() {
        try {
            return childrenMs(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From a /proc/PID/stat line: fields 16 and 17, counted after the command in parentheses (may hold spaces). */
    static long childrenMs(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state)
        long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        return ticks * 1000 / TICKS_PER_SECOND;
    }
}
