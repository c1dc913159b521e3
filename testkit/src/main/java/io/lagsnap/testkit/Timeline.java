package io.lagsnap.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run's requests, as {@link LatencyProxy} relayed them, say about where it waits. A request's round trip (its
 * wave) is one more than that of the latest-waved request answered before it was sent; a request sent while another
 * is still outstanding shares the wave before. The sequential round trips are the highest wave: the longest chain of
 * requests each sent only after the one before was answered, so each costs the full network delay. Overlapping
 * chains (on several connections) count once, however long each is.
 */
public record Timeline(List<LatencyProxy.Exchange> exchanges) {
    public Timeline {
        exchanges = exchanges.stream().sorted(Comparator.comparingLong(LatencyProxy.Exchange::sentNanos)).toList();
    }

    public int sequentialRoundTrips() {
        return roundTrips().size();
    }

    /** The APIs of each sequential round trip, each in the order they were sent. */
    public List<List<String>> roundTrips() {
        List<List<String>> out = new ArrayList<>();
        int[] waves = waves();
        for (int i = 0; i < exchanges.size(); i++) {
            while (out.size() < waves[i]) {
                out.add(new ArrayList<>());
            }
            out.get(waves[i] - 1).add(exchanges.get(i).api());
        }
        return out.stream().map(List::copyOf).toList();
    }

    /** The requests of every other API: without {@code ApiVersions}, what a cycle asks once connected. */
    public Timeline without(String api) {
        return new Timeline(exchanges.stream().filter(e -> !e.api().equals(api)).toList());
    }

    /** Each request's wave, in send order. */
    private int[] waves() {
        int[] waves = new int[exchanges.size()];
        for (int i = 0; i < waves.length; i++) {
            int before = 0;
            for (int j = 0; j < i; j++) {
                if (exchanges.get(j).answeredNanos() <= exchanges.get(i).sentNanos()) {
                    before = Math.max(before, waves[j]);
                }
            }
            waves[i] = before + 1;
        }
        return waves;
    }

    public Map<String, Long> requestsByApi() {
        Map<String, Long> out = new TreeMap<>();
        exchanges.forEach(e -> out.merge(e.api(), 1L, Long::sum));
        return out;
    }

    /**
     * One line per request: when it was sent and answered (ms from the first), how long it took, its connection,
     * and, for the first of each round trip, the gap since the last answer before it (the client's own time).
     */
    public String trace() {
        if (exchanges.isEmpty()) {
            return "no requests\n";
        }
        long start = exchanges.get(0).sentNanos();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%9s %9s %8s %5s %9s  %s%n", "sent_ms",
                "answer_ms", "took_ms", "conn", "gap_ms", "api"));
        int[] waves = waves();
        int highest = 0;
        for (int i = 0; i < waves.length; i++) {
            LatencyProxy.Exchange e = exchanges.get(i);
            String gap = "";
            if (waves[i] > highest) {
                highest = waves[i];
                gap = highest == 1 ? "start" : ms(e.sentNanos() - lastAnswerBefore(e.sentNanos()));
            }
            out.append(String.format(Locale.ROOT, "%9s %9s %8s %5d %9s  %s%s%n", ms(e.sentNanos() - start),
                    ms(e.answeredNanos() - start), ms(e.answeredNanos() - e.sentNanos()), e.connection(), gap,
                    e.api(), gap.isEmpty() ? "" : "  [round trip " + highest + "]"));
        }
        return out.toString();
    }

    private long lastAnswerBefore(long sentNanos) {
        return exchanges.stream().mapToLong(LatencyProxy.Exchange::answeredNanos).filter(a -> a <= sentNanos).max()
                .orElse(sentNanos);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
