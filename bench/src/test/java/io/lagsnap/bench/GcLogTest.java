package io.lagsnap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines as JDK 17 writes them with -Xlog:gc,gc+heap+exit (copied from real runs). */
class GcLogTest {
    @Test
    void serialPeakIsTheLargestOccupancyBeforeAPauseWhenTheHeapAtExitIsSmaller() {
        List<String> log = List.of(
                "[0.005s][info][gc] Using Serial",
                "[0.122s][info][gc] GC(0) Pause Young (Allocation Failure) 68M->18M(247M) 16.307ms",
                "[0.155s][info][gc] GC(1) Pause Young (Allocation Failure) 87M->49M(247M) 24.447ms",
                "[0.189s][info][gc] GC(3) Pause Young (Allocation Failure) 120M->73M(247M) 13.199ms",
                "[0.192s][info][gc,heap,exit] Heap",
                "[0.192s][info][gc,heap,exit]  def new generation   total 78656K, used 27987K [0x00000000f0000000, "
                        + "0x00000000f5550000, 0x00000000f5550000)",
                "[0.192s][info][gc,heap,exit]   eden space 69952K,  27% used [0x00000000f0000000, 0x00000000f12d7a48, "
                        + "0x00000000f4450000)",
                "[0.192s][info][gc,heap,exit]  tenured generation   total 174784K, used 67063K [0x00000000f5550000, "
                        + "0x0000000100000000, 0x0000000100000000)",
                "[0.192s][info][gc,heap,exit]  Metaspace       used 129K, committed 320K, reserved 1114112K");

        assertThat(GcLog.peakHeapKb(log)).isEqualTo(120 * 1024L);
    }

    @Test
    void g1PeakIsTheHeapAtExitWhenItExceedsEveryPause() {
        List<String> log = List.of(
                "[0.004s][info][gc] Using G1",
                "[0.074s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 12M->12M(256M) 6.596ms",
                "[0.192s][info][gc] GC(8) Pause Young (Normal) (G1 Evacuation Pause) 183M->92M(256M) 4.324ms",
                "[0.202s][info][gc,heap,exit] Heap",
                "[0.202s][info][gc,heap,exit]  garbage-first heap   total 262144K, used 188976K [0x00000000f0000000, "
                        + "0x0000000100000000)",
                "[0.202s][info][gc,heap,exit]  Metaspace       used 75K, committed 320K, reserved 1114112K");

        assertThat(GcLog.peakHeapKb(log)).isEqualTo(188_976L);
    }

    @Test
    void aRunWithoutAnyGcIsMeasuredAtExitAndAnEmptyLogHasNoPeak() {
        List<String> noPause = List.of(
                "[0.005s][info][gc] Using Serial",
                "[0.192s][info][gc,heap,exit]  def new generation   total 78656K, used 30000K [0x0, 0x1, 0x2)",
                "[0.192s][info][gc,heap,exit]  tenured generation   total 174784K, used 0K [0x0, 0x1, 0x2)");

        assertThat(GcLog.peakHeapKb(noPause)).isEqualTo(30_000L);
        assertThat(GcLog.peakHeapKb(List.of())).isNull();
    }

    @Test
    void liveDataIsTheLargestOccupancyAfterAFullCollection() {
        List<String> log = List.of(
                "[13.5s][info][gc] GC(38) Pause Young (Allocation Failure) 230M->230M(247M) 1.2ms",
                "[13.7s][info][gc] GC(39) Pause Full (Allocation Failure) 247M->233M(247M) 271.810ms",
                "[14.4s][info][gc] GC(41) Pause Full (Allocation Failure) 247M->237M(247M) 307.215ms",
                "[14.7s][info][gc] GC(42) Pause Full (Allocation Failure) 247M->104M(247M) 205.268ms");

        assertThat(GcLog.liveAfterFullGcKb(log)).isEqualTo(237 * 1024L);
        assertThat(GcLog.liveAfterFullGcKb(log.subList(0, 1))).isNull();
    }
}
