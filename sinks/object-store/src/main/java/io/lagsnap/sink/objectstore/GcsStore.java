package io.lagsnap.sink.objectstore;

import com.google.cloud.WriteChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.state.StateStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code gs://}: history objects go up in one upload session with the {@code doesNotExist} precondition
 * (ifGenerationMatch=0), so an existing key is refused; {@code latest.json} in one request. Either way an object
 * exists only once its upload completed. Run state is read with its generation and replaced with
 * {@code ifGenerationMatch=<generation>} (or {@code doesNotExist} for the first write). Credentials are Application Default Credentials; retries and socket
 * timeouts are bounded by the run deadline.
 */
final class GcsStore implements ObjectStore, VersionedObjects {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;
    /** Reads of a state object that another run replaced in the middle, before giving up. */
    private static final int READ_ATTEMPTS = 3;

    private final Storage storage;
    private final String bucket;
    private final String where;

    GcsStore(Storage storage, String bucket) {
        this.storage = storage;
        this.bucket = bucket;
        this.where = ObjectStoreException.bucket(bucket);
    }

    static GcsStore open(String bucket, Deadline deadline) {
        int leftMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline.remaining().toMillis()));
        StorageOptions options = StorageOptions.http()
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(Math.min(CONNECT_TIMEOUT_MS, leftMs))
                        .setReadTimeout(Math.min(READ_TIMEOUT_MS, leftMs))
                        .build())
                .setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder()
                        .setTotalTimeoutDuration(Duration.ofMillis(leftMs))
                        .build())
                .build();
        return new GcsStore(options.getService(), bucket);
    }

    /**
     * A resumable upload: the object only appears when the session is finalized by close(), so an upload cut short
     * leaves nothing, and GCS checks the precondition again at finalization.
     */
    @Override
    public void create(StoredObject object) throws IOException {
        try (WriteChannel channel = storage.writer(info(object), Storage.BlobWriteOption.doesNotExist())) {
            ByteBuffer body = ByteBuffer.wrap(object.body());
            while (body.hasRemaining()) {
                channel.write(body);
            }
        } catch (StorageException e) {
            if (e.getCode() == 412) {
                if (holds(object)) {
                    return;
                }
                throw ObjectStoreException.exists(where, object.key(), e);
            }
            throw failed(object, e);
        }
    }

    @Override
    public void replace(StoredObject object) throws IOException {
        try {
            storage.create(info(object), object.body());
        } catch (StorageException e) {
            throw failed(object, e);
        }
    }

    @Override
    public List<String> listKeys(String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            storage.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll().forEach(b -> keys.add(b.getName()));
            return keys;
        } catch (StorageException e) {
            throw new ObjectStoreException(where, prefix, e.getMessage() + " (HTTP " + e.getCode() + ")", e);
        }
    }

    /** The raw stream: the client would otherwise gunzip a Content-Encoding gzip object. */
    @Override
    public byte[] readBytes(String key) throws IOException {
        try {
            return storage.readAllBytes(BlobId.of(bucket, key), Storage.BlobSourceOption.shouldReturnRawInputStream(true));
        } catch (StorageException e) {
            throw new ObjectStoreException(where, key, e.getMessage() + " (HTTP " + e.getCode() + ")", e);
        }
    }

    /**
     * The generation first, then the bytes of exactly that generation ({@code ifGenerationMatch}): a replace in
     * between (HTTP 412) or a removal (404) makes it read again. The bytes as stored, raw: {@link #holds} compares
     * them with a gzip history object's body, which the client would otherwise gunzip.
     */
    @Override
    public Optional<StateStore.Stored> read(String key) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Blob blob = storage.get(BlobId.of(bucket, key));
                if (blob == null) {
                    return Optional.empty();
                }
                byte[] bytes = storage.readAllBytes(BlobId.of(bucket, key),
                        Storage.BlobSourceOption.generationMatch(blob.getGeneration()),
                        Storage.BlobSourceOption.shouldReturnRawInputStream(true));
                return Optional.of(new StateStore.Stored(bytes, Long.toString(blob.getGeneration())));
            } catch (StorageException e) {
                if ((e.getCode() == 412 || e.getCode() == 404) && attempt < READ_ATTEMPTS) {
                    continue;
                }
                throw new ObjectStoreException(where, key, e.getMessage() + " (HTTP " + e.getCode() + ")", e);
            }
        }
    }

    /** One request, with {@code ifGenerationMatch} on the version read or {@code ifGenerationMatch=0}; 412: refused. */
    @Override
    public boolean replaceIf(StoredObject object, String expectedVersion) throws IOException {
        Storage.BlobTargetOption precondition = expectedVersion == null ? Storage.BlobTargetOption.doesNotExist()
                : Storage.BlobTargetOption.generationMatch(Long.parseLong(expectedVersion));
        try {
            storage.create(info(object), object.body(), precondition);
            return true;
        } catch (StorageException e) {
            if (e.getCode() == 412) {
                return holds(object);
            }
            throw failed(object, e);
        }
    }

    /**
     * Cache-Control no-transform: GCS would otherwise gunzip Content-Encoding gzip objects for readers that do not
     * ask for gzip, and a reader of a {@code .gz} key expects the stored bytes.
     */
    private BlobInfo info(StoredObject object) {
        return BlobInfo.newBuilder(bucket, object.key())
                .setContentType(object.contentType())
                .setContentEncoding(object.contentEncoding())
                .setCacheControl(object.contentEncoding() == null ? null : "no-transform")
                .build();
    }

    private ObjectStoreException failed(StoredObject object, StorageException e) {
        return new ObjectStoreException(where, object.key(), e.getMessage() + " (HTTP " + e.getCode() + ")", e);
    }

    @Override
    public void close() throws IOException {
        try {
            storage.close();
        } catch (Exception e) {
            throw new IOException("closing the GCS client: " + e.getMessage(), e);
        }
    }
}
