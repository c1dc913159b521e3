package io.lagsnap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineCounterTest {
    @Test
    void countsOnlyLinesThatStartWithThePrefixWhateverTheWriteSizes() throws Exception {
        LineCounter counter = new LineCounter("bench-g");
        PrintStream out = new PrintStream(counter, false, StandardCharsets.UTF_8);
        out.print("\nGROUP           TOPIC  PARTITION\nbench-g00001    bench-t000 0\nbench-g00001    bench-t000 1\n");
        out.print("Consumer group 'bench-g00002' has no active members.\n");
        out.print("bench-");
        out.flush();
        counter.write('g');
        counter.write("00002 x\n  bench-g00003 indented\nbench-\nbench-g".getBytes(StandardCharsets.UTF_8));
        out.flush();

        assertThat(counter.lines()).isEqualTo(4);
    }

    @Test
    void anEmptyPrefixCountsEveryNonEmptyLine() throws Exception {
        LineCounter counter = new LineCounter("");
        counter.write("a\n\nbc\nd".getBytes(StandardCharsets.UTF_8));

        assertThat(counter.lines()).isEqualTo(3);
    }
}
