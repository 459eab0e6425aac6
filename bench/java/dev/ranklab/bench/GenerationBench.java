package dev.ranklab.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * Requests per second of a generation job through Ranklab (claim, permit, request, store, per slot) against an
 * OpenAI-compatible server that answers after a fixed latency, beside a bare HTTP client sending the same number of
 * requests with the same concurrency to the same server in the same run. RESULT line: both rates and their ratio
 * (1.0 = Ranklab adds nothing over the bare client). Both first send {@code warmup} requests that are not timed, so
 * that the ratio is that of a running service, not of the first seconds after its start.
 */
public class GenerationBench {

    private static final int K = 4;

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("requests", 800);
        int concurrency = Integer.getInteger("concurrency", 8);
        int latencyMs = Integer.getInteger("latencyMs", 100);
        int warmup = Integer.getInteger("warmup", 200);
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(latencyMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int n = served.incrementAndGet();
            byte[] body = ("{\"id\":\"b" + n + "\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"Answer number " + n + "\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        try {
            bare(baseUrl, warmup, concurrency);
            double bare = bare(baseUrl, requests, concurrency);
            System.out.printf("bare client: %.1f requests/s%n", bare);
            double ranklab = throughRanklab(baseUrl, warmup, requests, concurrency);
            System.out.printf("through Ranklab: %.1f requests/s%n", ranklab);
            System.out.printf("RESULT generation_rps=%.1f bare_rps=%.1f ratio=%.2f (latency %d ms, concurrency %d, "
                    + "%d requests after %d untimed)%n", ranklab, bare, ranklab / bare, latencyMs, concurrency,
                    requests,
                    warmup);
        } finally {
            server.stop(0);
            System.exit(0);
        }
    }

    private static double bare(String baseUrl, int requests, int concurrency) throws Exception {
        String body = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Prompt\"}]}";
        AtomicInteger left = new AtomicInteger(requests);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            workers.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    HttpResponse<String> response = BenchApp.HTTP.send(HttpRequest.newBuilder(
                            URI.create(baseUrl + "/chat/completions")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("answered " + response.statusCode());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return requests / seconds;
    }

    private static double throughRanklab(String baseUrl, int warmup, int requests, int concurrency)
            throws Exception {
        try (BenchApp app = BenchApp.start("1g", Map.of("RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false"), List.of())) {
            String admin = app.adminToken();
            String endpoint = BenchApp.field(app.call("POST", "/api/v1/model-endpoints", admin,
                    "{\"name\":\"bench\",\"baseUrl\":\"" + baseUrl + "\",\"model\":\"bench\",\"maxConcurrency\":"
                            + concurrency + "}"),
                    "id");
            generate(app, admin, endpoint, "Warm-up", warmup);
            return generate(app, admin, endpoint, "Bench", requests);
        }
    }

    /** Generates the responses of a new campaign of requests / K items; the rate, from the job's start to its end. */
    private static double generate(BenchApp app, String admin, String endpoint, String name, int requests)
            throws Exception {
        String campaign = BenchApp.field(app.call("POST", "/api/v1/campaigns", admin,
                "{\"name\":\"" + name + "\",\"kind\":\"RANKING\",\"responsesPerItem\":" + K
                        + ",\"overlap\":1}"),
                "id");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < requests / K; i++) {
            lines.append("{\"externalId\":\"b").append(i).append("\",\"prompt\":\"Prompt ").append(i)
                    .append("\"}\n");
        }
        app.send(app.request("/api/v1/campaigns/" + campaign + "/items", admin)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(lines.toString())));
        String job = BenchApp.field(app.call("POST", "/api/v1/campaigns/" + campaign + "/generations", admin,
                "{\"sources\":[{\"endpointId\":" + endpoint + ",\"samples\":" + K + "}]}"), "jobId");
        // The job's own start and end times, so that watching it (a few times a second) costs next to nothing.
        while (true) {
            String view = app.send(app.request("/api/v1/generations/" + job, admin).GET());
            if (!view.contains("\"status\":\"RUNNING\"")) {
                if (!view.contains("\"status\":\"COMPLETED\"") || !view.contains("\"itemsFailed\":0")) {
                    throw new IllegalStateException("the job ended as " + view);
                }
                double seconds = Duration.between(OffsetDateTime.parse(BenchApp.field(view, "createdAt")),
                        OffsetDateTime.parse(BenchApp.field(view, "finishedAt"))).toNanos() / 1e9;
                return (requests / K * K) / seconds;
            }
            Thread.sleep(250);
        }
    }
}
