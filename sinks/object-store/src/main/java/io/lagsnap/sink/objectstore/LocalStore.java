package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.StagingFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

    private void link(Path tmp, Path target, String key) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw ObjectStoreException.exists(where, key, e);
        }
    }
}
