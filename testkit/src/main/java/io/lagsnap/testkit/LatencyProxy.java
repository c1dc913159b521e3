package io.lagsnap.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * A TCP relay between the clients and one broker listener that adds a network round trip of {@code delay}: each chunk
 * is released {@code delay / 2} after it was read, per direction, in order. The broker advertises the relay's port for
 * that listener, so every connection a client makes (bootstrap, coordinator, leaders) passes through it. It also
 * reads the Kafka framing to log each request: api, when it arrived and when its response was released.
 */
public final class LatencyProxy implements AutoCloseable {
    /** One request as the relay saw it; times in nanoseconds of {@link System#nanoTime()}. */
    public record Exchange(int connection, String api, long sentNanos, long answeredNanos) {
    }

    /** The listener the broker advertises at the relay's port: {@link #brokerProps} sets it up. */
    public static final String LISTENER = "PROXIED";

    private record Chunk(byte[] bytes, int length, long releaseNanos) {
    }

    private final ServerSocket server;
    private final int targetPort;
    private volatile long halfDelayNanos;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Exchange> exchanges = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    private LatencyProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Listens on {@code port} (0: any) of the loopback interface and relays to {@code targetPort} there, at first
     * without delay.
     */
    public static LatencyProxy start(int port, int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new LatencyProxy(server, targetPort);
    }

    /**
     * Broker settings for a {@link #LISTENER} bound at {@code brokerPort} and advertised at {@code proxyPort}, so a client
     * bootstrapped at the relay reaches every broker through it; the other listeners' port 0 is the bound one.
     */
    public static Map<String, String> brokerProps(int brokerPort, int proxyPort) {
        return Map.of(
                "listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + LISTENER + "://localhost:" + brokerPort,
                "advertised.listeners", "EXTERNAL://localhost:0," + LISTENER + "://localhost:" + proxyPort,
                "listener.security.protocol.map",
                "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + LISTENER + ":PLAINTEXT");
    }

    /** The round trip added from now on, to chunks read from now on. */
    public void delay(long delayMicros) {
        halfDelayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros) / 2;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The requests relayed since the last call, in the order they were sent; clears the log. */
    public synchronized List<Exchange> drain() {
        List<Exchange> out = List.copyOf(exchanges);
        exchanges.clear();
        return out;
    }

    private synchronized void log(Exchange exchange) {
        exchanges.add(exchange);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(broker);
                }
                int id = connections.incrementAndGet();
                Map<Integer, Pending> pending = new ConcurrentHashMap<>();
                KafkaFrames requests = new KafkaFrames(true, (api, correlation) ->
                        pending.put(correlation, new Pending(api, System.nanoTime())));
                KafkaFrames responses = new KafkaFrames(false, (api, correlation) -> {
                    Pending p = pending.remove(correlation);
                    if (p != null) {
                        log(new Exchange(id, name(p.apiKey), p.sentNanos, System.nanoTime() + halfDelayNanos));
                    }
                });
                relay(client, broker, requests, "proxy-" + id + "-up");
                relay(broker, client, responses, "proxy-" + id + "-down");
            } catch (IOException e) {
                return;
            }
        }
    }

    private record Pending(short apiKey, long sentNanos) {
    }

    private static String name(short apiKey) {
        return ApiKeys.hasId(apiKey) ? ApiKeys.forId(apiKey).name : "api-" + apiKey;
    }

    /** One direction: a reader queues each chunk with its release time, a writer sends it then, in order. */
    private void relay(Socket from, Socket to, KafkaFrames frames, String name) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    byte[] buffer = new byte[64 * 1024];
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    frames.feed(buffer, 0, n);
                    queue.put(new Chunk(buffer, n, System.nanoTime() + halfDelayNanos));
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
            queue.add(new Chunk(null, -1, 0));
        }, name + "-read");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk.length < 0) {
                        break;
                    }
                    // parkNanos, not sleep: Thread.sleep rounds half a millisecond up to a whole one
                    for (long wait = chunk.releaseNanos - System.nanoTime(); wait > 0;
                         wait = chunk.releaseNanos - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    out.write(chunk.bytes, 0, chunk.length);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, name + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (this) {
            sockets.forEach(LatencyProxy::closeQuietly);
        }
    }
}
