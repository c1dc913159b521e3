package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.state.StateStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://}: one PutObject per object (a single PUT is all-or-nothing), history objects with
 * {@code If-None-Match: *} so an existing key is refused, not overwritten; run state read with its ETag and
 * replaced with {@code If-Match: <etag>} (or {@code If-None-Match: *} for the first write). Credentials come from the SDK's default
 * chain; every request is bounded by the run deadline.
 */
final class S3Store implements ObjectStore, VersionedObjects {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private final S3Client s3;
    private final String bucket;
    private final String where;
    private final Deadline deadline;

    private S3Store(S3Client s3, String bucket, Deadline deadline) {
        this.s3 = s3;
        this.bucket = bucket;
        this.where = ObjectStoreException.bucket(bucket);
        this.deadline = deadline;
    }

    static S3Store open(String bucket, S3Settings settings, Deadline deadline) throws IOException {
        Duration left = left(deadline);
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(min(CONNECT_TIMEOUT, left))
                        .socketTimeout(min(SOCKET_TIMEOUT, left)))
                .forcePathStyle(settings.pathStyle());
        if (settings.region() != null) {
            builder.region(Region.of(settings.region()));
        }
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        try {
            return new S3Store(builder.build(), bucket, deadline);
        } catch (SdkException e) {
            // typically "Unable to load region": say which bucket it was for and what to set
            throw new IOException("S3 client for bucket \"" + bucket + "\": " + e.getMessage()
                    + " (set the sink's region, or AWS_REGION)", e);
        }
    }

    @Override
    public void create(StoredObject object) throws IOException {
        put(object, true);
    }

    @Override
    public void replace(StoredObject object) throws IOException {
        put(object, false);
    }

    /** A create is refused with 412, or 409 ConditionalRequestConflict when it raced another write of the key. */
    private void put(StoredObject object, boolean createOnly) throws IOException {
        try {
            send(object, null, createOnly ? "*" : null);
        } catch (S3Exception e) {
            if (createOnly && (e.statusCode() == 412 || e.statusCode() == 409)) {
                if (holds(object)) {
                    return;
                }
                throw ObjectStoreException.exists(where, object.key(), e);
            }
            throw new ObjectStoreException(where, object.key(), reason(e), e);
        }
    }

    @Override
    public Optional<StateStore.Stored> read(String key) throws IOException {
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key)
                .overrideConfiguration(o -> o.apiCallTimeout(left(deadline))).build();
        try {
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(request);
            return Optional.of(new StateStore.Stored(got.asByteArray(), got.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            throw new ObjectStoreException(where, key, reason(e), e);
        } catch (SdkException e) {
            throw new ObjectStoreException(where, key, e.getMessage(), e);
        }
    }

    /**
     * A refused precondition is 412; S3 answers 409 ConditionalRequestConflict to a conditional write that raced
     * another on the same key, and 404 NoSuchKey to If-Match on a key removed since it was read: all three mean
     * the object is no longer the one read.
     */
    @Override
    public boolean replaceIf(StoredObject object, String expectedVersion) throws IOException {
        try {
            send(object, expectedVersion, expectedVersion == null ? "*" : null);
            return true;
        } catch (S3Exception e) {
            var details = e.awsErrorDetails();
            boolean gone = e.statusCode() == 404 && details != null && "NoSuchKey".equals(details.errorCode());
            if (e.statusCode() == 412 || e.statusCode() == 409 || gone) {
                return holds(object);
            }
            throw new ObjectStoreException(where, object.key(), reason(e), e);
        }
    }

    /** One PutObject with the given preconditions (null: none); an S3 error response is left to the caller. */
    private void send(StoredObject object, String ifMatch, String ifNoneMatch) throws ObjectStoreException {
        PutObjectRequest request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(object.key())
                .contentType(object.contentType())
                .contentEncoding(object.contentEncoding())
                .ifMatch(ifMatch)
                .ifNoneMatch(ifNoneMatch)
                .overrideConfiguration(o -> o.apiCallTimeout(left(deadline)))
                .build();
        try {
            s3.putObject(request, RequestBody.fromBytes(object.body()));
        } catch (S3Exception e) {
            throw e;
        } catch (SdkException e) {
            throw new ObjectStoreException(where, object.key(), e.getMessage(), e);
        }
    }

    @Override
    public List<String> listKeys(String prefix) throws IOException {
        try {
            return s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                            .overrideConfiguration(o -> o.apiCallTimeout(left(deadline))).build())
                    .contents().stream().map(S3Object::key).toList();
        } catch (S3Exception e) {
            throw new ObjectStoreException(where, prefix, reason(e), e);
        } catch (SdkException e) {
            throw new ObjectStoreException(where, prefix, e.getMessage(), e);
        }
    }

    @Override
    public byte[] readBytes(String key) throws IOException {
        try {
            return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key)
                    .overrideConfiguration(o -> o.apiCallTimeout(left(deadline))).build()).asByteArray();
        } catch (S3Exception e) {
            throw new ObjectStoreException(where, key, reason(e), e);
        } catch (SdkException e) {
            throw new ObjectStoreException(where, key, e.getMessage(), e);
        }
    }

    /** "NoSuchBucket (HTTP 404): The specified bucket does not exist": the code says most. */
    private static String reason(S3Exception e) {
        var details = e.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? "error" : details.errorCode();
        String message = details == null || details.errorMessage() == null ? e.getMessage() : details.errorMessage();
        return code + " (HTTP " + e.statusCode() + "): " + message;
    }

    /** Time left, at least 1 ms: to URLConnection a zero timeout means none at all. */
    private static Duration left(Deadline deadline) {
        Duration left = deadline.remaining();
        return left.isZero() ? Duration.ofMillis(1) : left;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    @Override
    public void close() {
        s3.close();
    }
}
