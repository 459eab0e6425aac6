package dev.ranklab.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OpenAI-compatible chat/completions server for tests, on plain sockets so that it can misbehave the ways real
 * servers do: answer slowly, answer 429 with Retry-After, 500, malformed JSON, never answer, or reset the
 * connection. It counts requests and the most it ever had in flight at once, and keeps every request it received
 * (headers and body) for assertions. A reply's text names the model and the request's sequence number, and its
 * length follows the prompt, so best-of-N tests can make a reward model prefer some replies.
 */
public final class FakeChatServer implements AutoCloseable {

    /** What to do with one request. */
    public interface Behaviour {
    }

    /** Answer normally after a delay (0 for at once). */
    public record Answer(long delayMillis) implements Behaviour {
    }

    /** Answer at once with this text. */
    public record Reply(String text) implements Behaviour {
    }

    /** 429 Too Many Requests with Retry-After in seconds. */
    public record RateLimited(int retryAfterSeconds) implements Behaviour {
    }

    /** An HTTP error status with an OpenAI-style error body. */
    public record Status(int status, String message) implements Behaviour {
    }

    /** 200 with a body that is not JSON. */
    /** A web page instead of an API, as a proxy or the wrong path serves. */
    public record Html(int status) implements Behaviour {
    }

    public record Malformed() implements Behaviour {
    }

    /** Read the request and never answer (the client must time out). */
    public record Silent() implements Behaviour {
    }

    /** Reset the connection (TCP RST) instead of answering. */
    public record Reset() implements Behaviour {
    }

    /** One request as received. */
    public record Received(String path, Map<String, String> headers, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-chat-server");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final ConcurrentLinkedQueue<Behaviour> scripted = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();
    private volatile Function<Received, Behaviour> rule = r -> new Answer(0);
    private volatile boolean closed;

    public FakeChatServer() throws IOException {
        socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    /** The base URL to configure an endpoint with (chat/completions is appended). */
    public String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    /** The next requests behave as given, in order; after them the rule decides. */
    public FakeChatServer then(Behaviour... behaviours) {
        scripted.addAll(List.of(behaviours));
        return this;
    }

    /** How requests behave once the scripted ones are used up. */
    public FakeChatServer always(Function<Received, Behaviour> rule) {
        this.rule = rule;
        return this;
    }

    public int requests() {
        return requests.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public List<Received> received() {
        return received;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = socket.accept();
                open.put(client, true);
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Serves requests on one kept-alive connection until the client closes it. */
    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (!closed) {
                Received request = read(in);
                if (request == null) {
                    return;
                }
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                int number = requests.incrementAndGet();
                received.add(request);
                try {
                    Behaviour behaviour = scripted.poll();
                    if (behaviour == null) {
                        behaviour = rule.apply(request);
                    }
                    if (!answer(client, out, request, behaviour, number)) {
                        return;
                    }
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away, or the server is closing.
        } finally {
            open.remove(client);
        }
    }

    /** Answers one request; false when the connection is done with. */
    private boolean answer(Socket client, OutputStream out, Received request, Behaviour behaviour, int number)
            throws IOException, InterruptedException {
        if (behaviour instanceof Answer a) {
            if (a.delayMillis() > 0) {
                Thread.sleep(a.delayMillis());
            }
            write(out, 200, Map.of(), completion(request, number, null));
            return true;
        }
        if (behaviour instanceof Reply reply) {
            write(out, 200, Map.of(), completion(request, number, reply.text()));
            return true;
        }
        if (behaviour instanceof RateLimited r) {
            write(out, 429, Map.of("Retry-After", Integer.toString(r.retryAfterSeconds())),
                    "{\"error\":{\"message\":\"rate limit reached\",\"type\":\"rate_limit\"}}");
            return true;
        }
        if (behaviour instanceof Status s) {
            write(out, s.status(), Map.of(), "{\"error\":{\"message\":\"" + s.message() + "\"}}");
            return true;
        }
        if (behaviour instanceof Html h) {
            write(out, h.status(), Map.of(), "<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found"
                    + "</body></html>");
            return true;
        }
        if (behaviour instanceof Malformed) {
            write(out, 200, Map.of(), "{\"choices\": [ {\"message\": oops");
            return true;
        }
        if (behaviour instanceof Silent) {
            // Hold the connection open without a word until the client gives up or the server closes.
            while (!closed && client.getInputStream().read() != -1) {
                // Discard whatever the client still sends.
            }
            return false;
        }
        // Reset: SO_LINGER 0 makes close() send a TCP RST instead of an orderly FIN.
        client.setSoLinger(true, 0);
        client.close();
        return false;
    }

    private static String completion(Received request, int number, String reply) throws IOException {
        JsonNode messages = request.body().path("messages");
        String last = messages.isArray() && !messages.isEmpty()
                ? messages.get(messages.size() - 1).path("content").asText()
                : "";
        String model = request.body().path("model").asText("unknown");
        String text = reply != null ? reply : "Reply " + number + " from " + model + " to: " + last;
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-" + number);
        body.put("object", "chat.completion");
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", "stop");
        body.putObject("usage").put("prompt_tokens", last.split("\\s+").length).put("completion_tokens",
                text.split("\\s+").length);
        return JSON.writeValueAsString(body);
    }

    private static void write(OutputStream out, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(bytes.length)
                .append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 401 -> "Unauthorized";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** Reads one request (request line, headers, Content-Length body); null at the end of the connection. */
    private static Received read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new ConcurrentHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).strip());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        String[] parts = requestLine.split(" ");
        JsonNode json;
        try {
            json = JSON.readTree(body.length == 0 ? "{}" : new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            json = JSON.createObjectNode();
        }
        return new Received(parts.length > 1 ? parts[1] : "", headers, json);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = buffer.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            buffer.write(b);
        }
        return buffer.size() == 0 ? null : buffer.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        for (Socket client : open.keySet()) {
            try {
                client.close();
            } catch (SocketException e) {
                // already gone
            }
        }
        threads.shutdownNow();
    }
}
