package io.lagsnap.sink.api;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Hidden temporary files beside a target, for sinks that write a whole file and then move or link it into place.
 * They are readable by others (rw-r--r--) like any written file: Files.createTempFile's owner-only mode would
 * survive the move and hide the output from a textfile collector or a web server.
 */
public final class StagingFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private StagingFiles() {
    }

    public static Path beside(Path dir, String prefix) throws IOException {
        Path tmp = Files.createTempFile(dir, prefix, ".tmp");
        if (POSIX) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return tmp;
    }
}
