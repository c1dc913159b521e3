package io.lagsnap.sink.api.model;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One of {@code count} disjoint slices of the groups, chosen by a stable hash of the group name, so parallel runs
 * (Kubernetes Indexed Jobs) cover every group exactly once.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": need 0 <= INDEX < COUNT");
        }
    }

    /** Parses "INDEX/COUNT", e.g. "2/8". */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
            throw new IllegalArgumentException("shard \"" + text + "\": expected INDEX/COUNT, e.g. 0/4");
        }
        return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    public boolean isAll() {
        return count == 1;
    }

    /**
     * A file name for this shard's own copy of something per-run ({@code latest.json}, the trend state): the name
     * as it is when unsharded, else "-shard-INDEX-of-COUNT" before the extension, e.g. "latest-shard-2-of-8.json".
     */
    public String fileName(String base, String extension) {
        return base + (isAll() ? "" : "-shard-" + index + "-of-" + count) + extension;
    }

    /** CRC32 of the UTF-8 name: stable across JVMs and releases, unlike String.hashCode's contract. */
    public boolean owns(String group) {
        if (count == 1) {
            return true;
        }
        CRC32 crc = new CRC32();
        crc.update(group.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % count == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
