package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.StagingFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code file:///dir}: keys become paths under the directory, which must exist (a typo in the URL should fail, not
 * grow a new tree). Each object is written to a hidden temporary file first, so readers never see half an object;
 * a history object is then hard-linked into place, which fails atomically when the key exists (rename would replace
 * it).
 */
final class LocalStore implements ObjectStore {
    private final Path root;
    private final String where;

    LocalStore(Path root) {
        this.root = root;
        this.where = ObjectStoreException.directory(root.toString());
    }

    @Override
    public void create(StoredObject object) throws IOException {
        write(object, true);
    }

    @Override
    public void replace(StoredObject object) throws IOException {
        write(object, false);
    }

    private void write(StoredObject object, boolean createOnly) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new ObjectStoreException(where, object.key(), "the directory does not exist", null);
        }
        Path target = root.resolve(object.key());
        try {
            Files.createDirectories(target.getParent());
            // a dot name: Hive, Athena and Spark skip hidden files, so a leftover is never read as data
            Path tmp = StagingFiles.beside(target.getParent(), ".lagsnap-");
            try {
                Files.write(tmp, object.body());
                if (createOnly) {
                    link(tmp, target, object.key());
                } else {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (ObjectStoreException e) {
            throw e;
        } catch (IOException e) {
            throw new ObjectStoreException(where, object.key(), e.toString(), e);
        }
    }

    /** Hidden files are skipped: they are a writer's temporary files. */
    @Override
    public List<String> listKeys(String prefix) throws IOException {
        Path dir = root.resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> root.relativize(p).toString().replace(File.separatorChar, '/')).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new ObjectStoreException(where, prefix, e.toString(), e);
        }
    }

    @Override
    public byte[] readBytes(String key) throws IOException {
        try {
            return Files.readAllBytes(root.resolve(key));
        } catch (IOException e) {
            throw new ObjectStoreException(where, key, e.toString(), e);
        }
    }

    /** Where a key is on disk, for readers that open it in place. */
    Path path(String key) {
        return root.resolve(key);
    }

    private void link(Path tmp, Path target, String key) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw ObjectStoreException.exists(where, key, e);
        }
    }
}
