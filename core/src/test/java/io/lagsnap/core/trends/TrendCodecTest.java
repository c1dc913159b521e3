package io.lagsnap.core.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.model.Granularity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class TrendCodecTest {
    private final Trends trends = new Trends(TrendBounds.DEFAULT);

    private TrendState someState() {
        return Histories.fold(trends, List.of(
                Histories.snapshot(Histories.minute(0), Histories.row("g", 0, 5, 9, true),
                        Histories.row("h", "x", 1, 3, 3, false, true)),
                Histories.snapshot(Histories.minute(1).plusMillis(250), Histories.row("g", 0, 4, 12, true))));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void encodedStatesDecodeToEqualStates() {
        TrendState state = someState();
        assertThat(TrendCodec.decode(TrendCodec.encode(state), Histories.CLUSTER))
                .isEqualTo(new TrendCodec.Loaded(state));
        TrendState empty = TrendState.empty(Histories.CLUSTER, Granularity.TOPIC);
        assertThat(TrendCodec.decode(TrendCodec.encode(empty), Histories.CLUSTER))
                .isEqualTo(new TrendCodec.Loaded(empty));
    }

    @Test
    void theLayoutIsVersionedGzipJsonWithDeltaColumns() throws IOException {
        TrendState state = Histories.fold(trends, List.of(
                Histories.snapshot(Histories.minute(0), Histories.row("g", 0, 5, 9, true)),
                Histories.snapshot(Histories.minute(1), Histories.timed(Histories.row("g", 0, 7, 12, true), 2.5))));
        String json = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
                TrendCodec.encode(state))).readAllBytes(), StandardCharsets.UTF_8);
        long t0 = Histories.T0.toEpochMilli();
        // how many partitions each sum covers, as deltas (1, then 1 again)
        String points = "{\"t\":[" + t0 + ",60000],\"c\":[5,2],\"h\":[9,3],\"n\":[1,0]}";
        // the group's time lag in whole milliseconds, null where none was read: its chart's second line
        String groupPoints = points.replace("}", ",\"s\":[null,2500]}");
        // both minutes fall in one 15-minute and one 2-hour bucket, which keep their last point
        String last = "{\"t\":[" + (t0 + 60000) + "],\"c\":[7],\"h\":[12]}";
        assertThat(json).isEqualTo("{\"version\":1,\"cluster\":\"prod\",\"granularity\":\"partition\",\"time\":"
                + (t0 + 60000) + ",\"series\":["
                + "{\"group\":\"g\",\"members\":true,\"data_loss\":false,\"committed_since\":" + (t0 + 60000)
                + ",\"last_seen\":" + (t0 + 60000) + ",\"points\":" + groupPoints + ",\"day\":" + last
                + ",\"week\":" + last
                + "},"
                + "{\"group\":\"g\",\"topic\":\"orders\",\"partition\":0,\"members\":true,\"data_loss\":false,"
                + "\"committed_since\":" + (t0 + 60000) + ",\"last_seen\":" + (t0 + 60000) + ",\"points\":" + points
                + "}]}");
    }

    /** An object as lagsnap wrote it before the time lag column: it loads, with no time lag on any point. */
    @Test
    void anObjectWrittenBeforeTheTimeLagColumnStillLoads() throws IOException {
        long t0 = Histories.T0.toEpochMilli();
        String before = "{\"version\":1,\"cluster\":\"prod\",\"granularity\":\"partition\",\"time\":" + (t0 + 60000)
                + ",\"series\":[{\"group\":\"g\",\"members\":true,\"data_loss\":false,\"committed_since\":"
                + (t0 + 60000) + ",\"last_seen\":" + (t0 + 60000) + ",\"points\":{\"t\":[" + t0 + ",60000],"
                + "\"c\":[5,2],\"h\":[9,3]},\"day\":{\"t\":[" + (t0 + 60000) + "],\"c\":[7],\"h\":[12]},"
                + "\"week\":{\"t\":[" + (t0 + 60000) + "],\"c\":[7],\"h\":[12]}}]}";

        TrendCodec.Decoded decoded = TrendCodec.decode(gzip(before), "prod");

        assertThat(decoded).isInstanceOf(TrendCodec.Loaded.class);
        Series g = ((TrendCodec.Loaded) decoded).state().series().get(SeriesKey.ofGroup("g"));
        assertThat(g.points()).containsExactly(new TrendPoint(Histories.T0, 5, 9),
                new TrendPoint(Histories.minute(1), 7, 12));
        // the next fold adds a point with its time lag, and the state is written with the column
        TrendState next = trends.fold(((TrendCodec.Loaded) decoded).state(), Histories.snapshot(Histories.minute(2),
                Histories.timed(Histories.row("g", 0, 9, 12, true), 1.25)), Histories.minute(2));
        assertThat(next.series().get(SeriesKey.ofGroup("g")).points()).extracting(TrendPoint::lagSeconds)
                .containsExactly(null, null, 1.25);
        assertThat(TrendCodec.decode(TrendCodec.encode(next), "prod")).isEqualTo(new TrendCodec.Loaded(next));
    }

    @Test
    void aMalformedTimeLagColumnIsCorrupt() throws IOException {
        String object = "{\"version\":1,\"cluster\":\"prod\",\"granularity\":\"topic\",\"series\":"
                + "[{\"group\":\"g\",\"members\":true,\"data_loss\":false,\"committed_since\":0,\"last_seen\":0,"
                + "\"points\":{\"t\":[1,2],\"c\":[1,1],\"h\":[1,1],\"s\":[5]},\"day\":{\"t\":[],\"c\":[],\"h\":[]},"
                + "\"week\":{\"t\":[],\"c\":[],\"h\":[]}}]}";
        assertThat(TrendCodec.decode(gzip(object), "prod"))
                .isEqualTo(new TrendCodec.Corrupt("time lag column \"s\": expected 2 values, got 1"));
        assertThat(TrendCodec.decode(gzip(object.replace("\"s\":[5]", "\"s\":[5,\"x\"]")), "prod"))
                .isEqualTo(new TrendCodec.Corrupt("expected an integer or null, got \"x\""));
    }

    @Test
    void missingBytesAreMissing() {
        assertThat(TrendCodec.decode(null, "prod")).isEqualTo(new TrendCodec.Missing());
        assertThat(TrendCodec.decode(new byte[0], "prod")).isEqualTo(new TrendCodec.Missing());
    }

    @Test
    void corruptBytesSayWhatIsWrong() throws IOException {
        assertThat(TrendCodec.decode("{\"version\":1}".getBytes(StandardCharsets.UTF_8), "prod"))
                .isInstanceOf(TrendCodec.Corrupt.class)
                .extracting(d -> ((TrendCodec.Corrupt) d).reason()).asString().startsWith("not gzip JSON: ");
        assertThat(TrendCodec.decode(gzip("{\"version\":1,"), "prod")).isInstanceOf(TrendCodec.Corrupt.class);
        assertThat(TrendCodec.decode(gzip("{\"version\":1,\"cluster\":\"prod\",\"granularity\":\"topic\"}"), "prod"))
                .isEqualTo(new TrendCodec.Corrupt("missing field \"series\""));
        assertThat(TrendCodec.decode(gzip("{\"version\":1,\"cluster\":\"prod\",\"granularity\":\"row\","
                + "\"series\":[]}"), "prod")).isInstanceOf(TrendCodec.Corrupt.class);
        assertThat(TrendCodec.decode(gzip("{\"version\":1,\"cluster\":\"prod\",\"granularity\":\"topic\",\"series\":"
                + "[{\"group\":\"g\",\"members\":true,\"data_loss\":false,\"committed_since\":0,\"last_seen\":0,"
                + "\"points\":{\"t\":[1,2],\"c\":[1],\"h\":[1,1]},\"day\":{\"t\":[],\"c\":[],\"h\":[]},"
                + "\"week\":{\"t\":[],\"c\":[],\"h\":[]}}]}"), "prod"))
                .isEqualTo(new TrendCodec.Corrupt("point columns of unequal length: 2, 1, 2"));
        assertThat(TrendCodec.decode(TrendCodec.encode(someState()), "staging"))
                .isEqualTo(new TrendCodec.Corrupt("trend object of cluster \"prod\", expected \"staging\""));
        byte[] truncated = TrendCodec.encode(someState());
        assertThat(TrendCodec.decode(java.util.Arrays.copyOf(truncated, truncated.length / 2), "prod"))
                .isInstanceOf(TrendCodec.Corrupt.class);
    }

    @Test
    void aNewerVersionIsReportedAndNotRead() throws IOException {
        assertThat(TrendCodec.decode(gzip("{\"version\":2,\"whatever\":[]}"), "prod"))
                .isEqualTo(new TrendCodec.NewerVersion(2));
    }

    /**
     * The documented size bound: 1,000 groups x 50 partitions at partition granularity, every bound full (60 group
     * points, 96 + 84 downsampled, 10 per partition), offsets near 10^12 advancing by random amounts each minute,
     * and every group point with a random time lag of up to an hour.
     */
    @Test
    void aFullStateOfAThousandGroupsByFiftyPartitionsStaysUnderItsBound() {
        TrendState state = fullState(1000, 50, new Random(1));
        byte[] encoded = TrendCodec.encode(state);

        assertThat(state.series()).hasSize(1000 + 1000 * 50);
        assertThat(encoded.length).isLessThanOrEqualTo(TrendCodecBounds.THOUSAND_BY_FIFTY_BYTES);
        assertThat(TrendCodec.decode(encoded, Histories.CLUSTER)).isEqualTo(new TrendCodec.Loaded(state));
    }

    static TrendState fullState(int groups, int partitions, Random random) {
        Instant now = Histories.T0.plus(Duration.ofDays(7));
        List<Instant> minutes = times(now, Duration.ofMinutes(1), 60, random);
        List<Instant> quarters = times(now, TrendBounds.DAY_BUCKET, 96, random);
        List<Instant> hours = times(now, TrendBounds.WEEK_BUCKET, 84, random);
        Map<SeriesKey, Series> series = new TreeMap<>();
        for (int g = 0; g < groups; g++) {
            String group = "consumer-group-%04d".formatted(g);
            series.put(SeriesKey.ofGroup(group), new Series(SeriesKey.ofGroup(group),
                    timed(points(minutes, random), random), points(quarters, random), points(hours, random),
                    random.nextBoolean(), false, now.minusSeconds(random.nextInt(3600)), now));
            for (int p = 0; p < partitions; p++) {
                SeriesKey key = new SeriesKey(group, "topic-" + (p % 5), p);
                series.put(key, series(key, now, random, minutes.subList(50, 60), List.of(), List.of()));
            }
        }
        return new TrendState(Histories.CLUSTER, Granularity.PARTITION, now, series);
    }

    private static Series series(SeriesKey key, Instant now, Random random, List<Instant> times,
                                 List<TrendPoint> day, List<TrendPoint> week) {
        return new Series(key, points(times, random), day, week, random.nextBoolean(), false,
                now.minusSeconds(random.nextInt(3600)), now);
    }

    /** The points with a random time lag of 0 ms to 1 hour each (incompressible: the worst case). */
    private static List<TrendPoint> timed(List<TrendPoint> points, Random random) {
        return points.stream().map(p -> new TrendPoint(p.time(), p.committed(), p.end(),
                random.nextInt(3_600_000) / 1000.0)).toList();
    }

    /** Snapshot times every {@code step} up to now, with up to 2 s of jitter as real ones have; one per run. */
    private static List<Instant> times(Instant now, Duration step, int count, Random random) {
        List<Instant> times = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            times.add(now.minus(step.multipliedBy(i)).plusMillis(random.nextInt(2000)));
        }
        return times;
    }

    /** Offsets near 10^12, each step adding a random 0..9,999 records (incompressible deltas: the worst case). */
    private static List<TrendPoint> points(List<Instant> times, Random random) {
        List<TrendPoint> points = new ArrayList<>();
        long committed = 1_000_000_000_000L + random.nextInt(1_000_000);
        long high = committed + random.nextInt(100_000);
        for (Instant t : times) {
            points.add(new TrendPoint(t, committed, high));
            committed += random.nextInt(10_000);
            high += random.nextInt(10_000);
        }
        return points;
    }
}
