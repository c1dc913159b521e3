package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.config.ConfigException;
import java.util.List;

/**
 * The optional SDKs behind s3:// and gs://. Each deploy artifact bundles only the one its cloud needs, so a config
 * naming the other scheme must fail when the sink is created (at validation), not with a NoClassDefFoundError in
 * the middle of a run.
 */
enum CloudSdk {
    AWS("s3://", "the AWS SDK", "software.amazon.awssdk:s3 and software.amazon.awssdk:url-connection-client",
            List.of("software.amazon.awssdk.services.s3.S3Client",
                    "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient")),
    GOOGLE("gs://", "the Google Cloud Storage SDK", "com.google.cloud:google-cloud-storage",
            List.of("com.google.cloud.storage.Storage"));

    private final String scheme;
    private final String name;
    private final String artifacts;
    private final List<String> markerClasses;

    CloudSdk(String scheme, String name, String artifacts, List<String> markerClasses) {
        this.scheme = scheme;
        this.name = name;
        this.artifacts = artifacts;
        this.markerClasses = markerClasses;
    }

    /** @param at the key path of the url, for the message */
    void require(String at) {
        for (String className : markerClasses) {
            try {
                Class.forName(className, false, CloudSdk.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ConfigException(at + ": " + scheme + " needs " + name
                        + ", which this artifact does not bundle (it needs " + artifacts + " on the class path)");
            }
        }
    }
}
