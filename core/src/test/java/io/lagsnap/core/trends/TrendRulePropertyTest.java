package io.lagsnap.core.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Generated windows (a seeded Random, so a failure repeats): the rules are total and tried in their order. */
class TrendRulePropertyTest {
    private static final TrendBounds BOUNDS = TrendBounds.DEFAULT;

    /** Small offsets and steps, so still commits, zero lag, rewinds and steady growth all come up often. */
    private static Window randomWindow(Random random) {
        int size = 1 + random.nextInt(BOUNDS.window());
        long committed = random.nextInt(5);
        long high = committed + random.nextInt(4);
        Instant t = Histories.T0;
        List<TrendPoint> points = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            points.add(new TrendPoint(t, committed, high));
            t = t.plusSeconds(30 + random.nextInt(60));
            committed = Math.max(0, committed + random.nextInt(5) - (random.nextInt(8) == 0 ? 3 : 1));
            high += random.nextInt(3) == 0 ? 0 : random.nextInt(6);
        }
        Instant since = points.get(0).time().minus(Duration.ofMinutes(random.nextInt(30)));
        return new Window(points, random.nextBoolean(), random.nextInt(20) == 0, since);
    }

    @Test
    void everyWindowGetsTheStatusOfTheFirstRuleThatHoldsAndEveryRuleComesUp() {
        Random random = new Random(20);
        Map<TrendRule, Integer> seen = new EnumMap<>(TrendRule.class);
        for (int i = 0; i < 100_000; i++) {
            Window w = randomWindow(random);
            TrendRule rule = TrendRule.first(w, BOUNDS);
            seen.merge(rule, 1, Integer::sum);
            assertThat(rule.holds(w, BOUNDS)).as("window %s", w).isTrue();
            for (TrendRule earlier : TrendRule.values()) {
                if (earlier.ordinal() < rule.ordinal()) {
                    assertThat(earlier.holds(w, BOUNDS)).as("%s before %s on %s", earlier, rule, w).isFalse();
                }
            }
            assertMeaning(rule.status(), w);
        }
        assertThat(seen.keySet()).containsExactly(TrendRule.values());
    }

    /** What each status promises, stated from the window alone, independently of the rule code. */
    private static void assertMeaning(TrendStatus status, Window w) {
        List<TrendPoint> p = w.points();
        boolean anyZero = p.stream().anyMatch(x -> x.lag() == 0);
        boolean rewound = false;
        boolean still = p.size() >= 2;
        for (int i = 1; i < p.size(); i++) {
            rewound |= p.get(i).committed() < p.get(i - 1).committed();
            still &= p.get(i).committed() == p.get(0).committed();
        }
        switch (status) {
            case ERR -> assertThat(w.dataLoss()).isTrue();
            case REWIND -> assertThat(!w.dataLoss() && rewound).isTrue();
            case STOP -> assertThat(!w.dataLoss() && still && !anyZero && !w.members()
                    && w.committedUnchangedFor().compareTo(BOUNDS.stopAfter()) > 0).isTrue();
            case STALL -> assertThat(!w.dataLoss() && still && !anyZero
                    && (w.members() || w.committedUnchangedFor().compareTo(BOUNDS.stopAfter()) <= 0)).isTrue();
            case WARN -> {
                assertThat(!w.dataLoss() && !rewound && !still && !anyZero).isTrue();
                for (int i = 1; i < p.size(); i++) {
                    assertThat(p.get(i).lag()).isGreaterThan(p.get(i - 1).lag());
                }
            }
            case OK -> assertThat(!w.dataLoss() && !rewound && (anyZero || !still)).isTrue();
        }
    }

    @Test
    void foldedRandomHistoriesGiveEveryCurrentSeriesOneTrendAndGroupsTheirWorstPartition() {
        Random random = new Random(7);
        Trends trends = new Trends(BOUNDS);
        TrendState state = TrendState.empty(Histories.CLUSTER, io.lagsnap.sink.api.model.Granularity.PARTITION);
        long[][] committed = new long[3][2];
        long[][] high = new long[3][2];
        for (int run = 0; run < 500; run++) {
            List<io.lagsnap.sink.api.model.PartitionLag> rows = new ArrayList<>();
            for (int g = 0; g < 3; g++) {
                if (random.nextInt(10) == 0) {
                    continue; // the group is absent from this snapshot
                }
                boolean members = random.nextBoolean();
                for (int p = 0; p < 2; p++) {
                    high[g][p] += random.nextInt(4);
                    committed[g][p] = Math.max(0, Math.min(high[g][p], committed[g][p] + random.nextInt(5) - 1));
                    rows.add(Histories.row("g" + g, "t", p, committed[g][p], high[g][p], members,
                            random.nextInt(50) == 0));
                }
            }
            Instant t = Histories.minute(run);
            state = trends.fold(state, Histories.snapshot(t, rows.toArray(io.lagsnap.sink.api.model.PartitionLag[]::new)), t);
            TrendResults results = trends.evaluate(state);
            assertThat(results.details()).hasSize(rows.size());
            for (Trend group : results.groups()) {
                TrendStatus worst = results.details().stream().filter(d -> d.key().group().equals(group.key().group()))
                        .map(Trend::status).reduce(TrendStatus.OK, TrendStatus::worst);
                assertThat(group.status()).isEqualTo(worst);
            }
        }
    }
}
