package io.lagsnap.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Peak heap occupancy from a JVM's {@code -Xlog:gc,gc+heap+exit} log. Occupancy only falls at a GC, so its peak is
 * the occupancy before some GC or the one at exit: the largest "before" of the pause lines ({@code 68M->18M(247M)})
 * or the sum of the generations' "used" in the exit report, whichever is larger.
 */
final class GcLog {
    private static final Pattern PAUSE = Pattern.compile("\\[gc\\s*\\].* (\\d+)M->\\d+M\\(\\d+M\\)");
    private static final Pattern FULL = Pattern.compile("\\[gc\\s*\\].* Pause Full .* \\d+M->(\\d+)M\\(\\d+M\\)");
    private static final Pattern AT_EXIT = Pattern.compile("\\[gc,heap,exit\\s*\\]\\s+"
            + "(?:garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen)"
            + "\\s+total \\d+K, used (\\d+)K");

    private GcLog() {
    }

    /** JVM options that write the log this class reads to {@code file}. */
    static String option(Path file) {
        return "-Xlog:gc,gc+heap+exit:file=" + file;
    }

    /** The peak heap occupancy in KiB, or null when the log has neither pauses nor an exit report. */
    static Long peakHeapKb(List<String> lines) {
        long peak = -1;
        long atExit = -1;
        for (String line : lines) {
            Matcher pause = PAUSE.matcher(line);
            if (pause.find()) {
                peak = Math.max(peak, Long.parseLong(pause.group(1)) * 1024);
            }
            Matcher exit = AT_EXIT.matcher(line);
            if (exit.find()) {
                atExit = Math.max(atExit, 0) + Long.parseLong(exit.group(1));
            }
        }
        peak = Math.max(peak, atExit);
        return peak < 0 ? null : peak;
    }

    /**
     * The largest occupancy left after a full collection, in KiB: the live data at its highest as the collector
     * found it, so how close a run came to running out of heap; null when no full collection ran.
     */
    static Long liveAfterFullGcKb(List<String> lines) {
        long peak = -1;
        for (String line : lines) {
            Matcher full = FULL.matcher(line);
            if (full.find()) {
                peak = Math.max(peak, Long.parseLong(full.group(1)) * 1024);
            }
        }
        return peak < 0 ? null : peak;
    }
}
