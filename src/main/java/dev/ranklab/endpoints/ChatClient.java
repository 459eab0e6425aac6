package dev.ranklab.endpoints;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import dev.ranklab.items.ChatMessage;

/**
 * One OpenAI-compatible {@code POST {baseUrl}/chat/completions} call, blocking its (worker) caller until the answer.
 * Vert.x's web client shares the application's event loops and pools connections per server. Failures come back
 * in words and say whether trying again may help (429, 5xx, timeouts, broken connections, unreadable answers).
 */
@ApplicationScoped
public class ChatClient {

    private static final int MAX_ERROR_CHARS = 300;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    private WebClient client;

    /** Sampling settings of one request; null ones are left to the server. */
    public record Sampling(Double temperature, Double topP, Integer maxTokens, Long seed) {
    }

    /** The first choice of an answer, with the usage the server reported (0 where it reported none). */
    public record Completion(String text, String finishReason, int promptTokens, int completionTokens,
            long millis) {
    }

    /** A call that gave no usable answer; {@code retryAfter} is the server's Retry-After, if it sent one. */
    public static final class Failure extends Exception {

        private final boolean retryable;
        private final Duration retryAfter;

        Failure(String message, boolean retryable, Duration retryAfter) {
            super(message, null, false, false);
            this.retryable = retryable;
            this.retryAfter = retryAfter;
        }

        public boolean retryable() {
            return retryable;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    @PostConstruct
    void start() {
        client = WebClient.create(vertx, new WebClientOptions().setUserAgent("Ranklab").setKeepAlive(true)
                .setMaxPoolSize(512).setConnectTimeout(10_000).setFollowRedirects(false));
    }

    @PreDestroy
    void stop() {
        client.close();
    }

    public Completion complete(String baseUrl, String apiKey, String model, List<ChatMessage> messages,
            Sampling sampling, int timeoutSeconds) throws Failure, InterruptedException {
        String url = baseUrl.endsWith("/") ? baseUrl + "chat/completions" : baseUrl + "/chat/completions";
        var request = client.postAbs(url).timeout(timeoutSeconds * 1000L)
                .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json");
        if (apiKey != null) {
            request.putHeader("Authorization", "Bearer " + apiKey);
        }
        long started = System.nanoTime();
        HttpResponse<Buffer> response;
        try {
            response = request.sendBuffer(Buffer.buffer(body(model, messages, sampling))).toCompletionStage()
                    .toCompletableFuture().get(timeoutSeconds + 5L, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new Failure("no answer within " + timeoutSeconds + " s from " + url, true, null);
        } catch (ExecutionException e) {
            throw failure(e.getCause(), timeoutSeconds, url);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int status = response.statusCode();
        if (status / 100 != 2) {
            boolean retryable = status == 429 || status == 408 || status >= 500;
            throw new Failure("the server answered " + status + " at " + url + describe(response), retryable,
                    retryAfter(response.getHeader("Retry-After")));
        }
        return parse(response.bodyAsString(), millis);
    }

    private byte[] body(String model, List<ChatMessage> messages, Sampling sampling) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        ArrayNode list = body.putArray("messages");
        for (ChatMessage message : messages) {
            list.addObject().put("role", message.role()).put("content", message.content());
        }
        if (sampling.temperature() != null) {
            body.put("temperature", sampling.temperature());
        }
        if (sampling.topP() != null) {
            body.put("top_p", sampling.topP());
        }
        if (sampling.maxTokens() != null) {
            body.put("max_tokens", sampling.maxTokens());
        }
        if (sampling.seed() != null) {
            body.put("seed", sampling.seed());
        }
        body.put("stream", false);
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    private Completion parse(String text, long millis) throws Failure {
        JsonNode root;
        try {
            root = json.readTree(text == null ? "" : text);
        } catch (IOException e) {
            throw new Failure("the answer is not valid JSON", true, null);
        }
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        JsonNode content = choice == null ? null : choice.path("message").path("content");
        if (content == null || !content.isTextual()) {
            throw new Failure("the answer has no choices[0].message.content", true, null);
        }
        JsonNode usage = root.path("usage");
        String finish = choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : null;
        return new Completion(content.asText(), finish, usage.path("prompt_tokens").asInt(0),
                usage.path("completion_tokens").asInt(0), millis);
    }

    /** The server's own error message, if its body carries one in OpenAI's shape or as text. */
    private String describe(HttpResponse<Buffer> response) {
        String body = response.bodyAsString();
        if (body == null || body.isBlank()) {
            return "";
        }
        String type = String.valueOf(response.getHeader("Content-Type")).toLowerCase(java.util.Locale.ROOT);
        if (type.contains("html") || body.stripLeading().startsWith("<")) {
            // A web page (a proxy's or the wrong path's) says nothing useful once its markup is flattened.
            return " (an HTML page, not an OpenAI-compatible API: check baseUrl, e.g. http://host:8000/v1)";
        }
        String message = body;
        try {
            JsonNode root = json.readTree(body);
            JsonNode error = root.path("error");
            message = error.isTextual()
                    ? error.asText()
                    : error.path("message").isTextual() ? error.path("message").asText() : body;
        } catch (IOException e) {
            // Not JSON: the text itself is the message.
        }
        message = message.strip().replaceAll("\\s+", " ");
        return ": " + (message.length() > MAX_ERROR_CHARS ? message.substring(0, MAX_ERROR_CHARS) + "…" : message);
    }

    private static Failure failure(Throwable cause, int timeoutSeconds, String url) {
        if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException
                || String.valueOf(cause.getMessage()).contains("timeout")) {
            return new Failure("no answer within " + timeoutSeconds + " s from " + url, true, null);
        }
        if (cause instanceof ConnectException) {
            return new Failure("cannot connect to " + url + ": " + cause.getMessage(), true, null);
        }
        if (cause instanceof HttpClosedException) {
            return new Failure("the server closed the connection before answering at " + url, true, null);
        }
        if (cause instanceof IOException) {
            return new Failure("the connection broke at " + url + ": " + cause.getMessage(), true, null);
        }
        return new Failure("the request failed at " + url + ": " + cause.getMessage(), true, null);
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofMillis((long) (Math.max(0, Double.parseDouble(header.strip())) * 1000));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
