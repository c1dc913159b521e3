package io.lagsnap.core.state;

import io.lagsnap.sink.api.state.StateLocation;
import io.lagsnap.sink.api.state.StateStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link StateStore} in a directory ({@code [run] state = "file:///var/lib/lagsnap"}): the cluster's state is
 * {@code cluster=NAME/FILE}, next to where the object store keeps its history. The version is the SHA-256 of the bytes. A replace holds an exclusive lock on
 * {@code cluster=NAME/.FILE.lock} (overlapping runs, in this process or in others, take turns: a file lock is held
 * per process, so threads first queue on a lock of their own), compares the stored
 * bytes' SHA-256 with the version the caller read, and moves a complete temporary file over the old one, so a
 * reader never sees half a state.
 */
public final class FileStateStore implements StateStore {
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path root;
    private final String fileName;

    public FileStateStore(Path root, String fileName) {
        this.root = root;
        this.fileName = fileName;
    }

    @Override
    public Optional<Stored> read(String cluster) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(file(cluster));
            return Optional.of(new Stored(bytes, version(bytes)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean replace(String cluster, byte[] bytes, String expectedVersion) throws IOException {
        Path file = file(cluster);
        Path dir = Files.createDirectories(file.getParent());
        Path lockPath = dir.resolve("." + fileName + ".lock").toAbsolutePath().normalize();
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockPath, p -> new ReentrantLock());
        inProcess.lock();
        try (FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            Optional<Stored> current = read(cluster);
            String currentVersion = current.map(Stored::version).orElse(null);
            if (currentVersion == null ? expectedVersion != null : !currentVersion.equals(expectedVersion)) {
                return false;
            }
            Path staged = Files.createTempFile(dir, "." + fileName, ".tmp");
            try {
                try (FileChannel out = FileChannel.open(staged, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    out.force(true);
                }
                move(staged, file);
            } finally {
                Files.deleteIfExists(staged);
            }
            return true;
        } finally {
            inProcess.unlock();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * {@code cluster=NAME/FILE}, the name percent-encoded as the object-store sink encodes it, so that the state
     * sits next to the cluster's history and no cluster name can leave the directory.
     */
    Path file(String cluster) {
        return root.resolve("cluster=" + StateLocation.encodeCluster(cluster)).resolve(fileName);
    }

    static String version(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
