package io.lagsnap.bench;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Discards output, counting the lines that start with a prefix: how the benchmark checks, without keeping 50,000
 * lines, that the reference tool printed a row for every group-partition.
 */
final class LineCounter extends OutputStream {
    private final byte[] prefix;
    private int matched;
    private boolean atLineStart = true;
    private long lines;

    LineCounter(String prefix) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            atLineStart = true;
            matched = 0;
            return;
        }
        if (atLineStart) {
            if (matched < prefix.length && b == prefix[matched]) {
                matched++;
                if (matched == prefix.length) {
                    lines++;
                    atLineStart = false;
                }
            } else {
                atLineStart = false;
                if (prefix.length == 0) {
                    lines++; // an empty prefix counts every non-empty line
                }
            }
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    synchronized long lines() {
        return lines;
    }
}
