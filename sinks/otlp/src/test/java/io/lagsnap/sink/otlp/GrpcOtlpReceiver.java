package io.lagsnap.sink.otlp;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC on a real HTTP/2 server (grpc-java, Netty). opentelemetry-proto ships the messages but no service
 * stubs, so the one method, MetricsService/Export, is declared here with the messages' own marshallers.
 */
final class GrpcOtlpReceiver implements OtlpReceiver {
    private static final String SERVICE = "opentelemetry.proto.collector.metrics.v1.MetricsService";
    private static final MethodDescriptor<ExportMetricsServiceRequest, ExportMetricsServiceResponse> EXPORT =
            MethodDescriptor.<ExportMetricsServiceRequest, ExportMetricsServiceResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
                    .setRequestMarshaller(ProtoUtils.marshaller(ExportMetricsServiceRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(ExportMetricsServiceResponse.getDefaultInstance()))
                    .build();
    private static final Context.Key<Map<String, String>> HEADERS = Context.key("headers");

    private final Server server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Answer answer = Answer.ACCEPT;

    GrpcOtlpReceiver() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(EXPORT, ServerCalls.asyncUnaryCall(this::export))
                .build();
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(service, new HeaderRecorder()))
                .build()
                .start();
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public void answer(Answer answer) {
        if (answer == Answer.HANG) {
            throw new UnsupportedOperationException("the hanging case is tested over HTTP");
        }
        this.answer = answer;
    }

    @Override
    public List<Received> received() {
        return List.copyOf(received);
    }

    private void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
        received.add(new Received(HEADERS.get(), request));
        if (answer == Answer.UNAVAILABLE) {
            response.onError(Status.UNAVAILABLE.withDescription("collector overloaded").asRuntimeException());
            return;
        }
        response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
        response.onCompleted();
    }

    /** Hands each call's request metadata to the handler through the call's gRPC context. */
    private static final class HeaderRecorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
                                                           ServerCallHandler<Q, R> next) {
            Map<String, String> headers = new TreeMap<>();
            for (String key : metadata.keys()) {
                if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    headers.put(key, metadata.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)));
                }
            }
            return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, metadata, next);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
