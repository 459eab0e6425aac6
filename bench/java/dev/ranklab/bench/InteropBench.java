package dev.ranklab.bench;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Trains on the exports with TRL: a ranking campaign (plain and multi-turn prompts, two annotators per item) and a
 * demonstration campaign are filled through the API of the packaged app, their trl, kto and sft exports and a
 * file=hf folder are downloaded as a researcher would, and bench/interop/train.py trains RewardTrainer, DPOTrainer,
 * KTOTrainer and SFTTrainer two steps each on them with the Python that RANKLAB_INTEROP_PYTHON names. Run it through
 * bench/interop/run, which makes that Python's venv.
 */
public class InteropBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Random RANDOM = new Random(7);

    public static void main(String[] args) throws Exception {
        String python = System.getenv("RANKLAB_INTEROP_PYTHON");
        if (python == null) {
            throw new IllegalStateException("RANKLAB_INTEROP_PYTHON must name the venv's python (bench/interop/run)");
        }
        Path out = Files.createTempDirectory("ranklab-interop");
        try (BenchApp app = BenchApp.start("512m", Map.of(), List.of())) {
            String admin = app.adminToken();
            List<String> annotators = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                app.call("POST", "/api/v1/users", admin, "{\"username\":\"interop-" + i + "\",\"password\":"
                        + "\"interop-password\",\"role\":\"ANNOTATOR\"}");
                annotators.add(BenchApp.field(app.call("POST", "/api/v1/auth/token", null, "{\"username\":"
                        + "\"interop-" + i + "\",\"password\":\"interop-password\"}"), "token"));
            }
            long ranked = campaign(app, admin, "{\"name\":\"interop rankings\",\"kind\":\"RANKING\","
                    + "\"responsesPerItem\":3,\"overlap\":2}", rankingItems(24));
            for (String annotator : annotators) {
                work(app, annotator, ranked, task -> ranking(task));
            }
            long demonstrated = campaign(app, admin, "{\"name\":\"interop demonstrations\",\"kind\":"
                    + "\"DEMONSTRATION\"}", demonstrationItems(12));
            work(app, annotators.get(0), demonstrated, task -> "{\"demonstration\":\"Here is a careful answer to "
                    + task.path("item").path("id").asLong() + ": first the idea, then an example.\"}");

            download(app, admin, ranked, "format=trl", out.resolve("trl.jsonl"));
            download(app, admin, ranked, "format=kto", out.resolve("kto.jsonl"));
            download(app, admin, demonstrated, "format=sft", out.resolve("sft.jsonl"));
            unzip(hf(app, admin, ranked), out.resolve("hf"));
        }
        Process train = new ProcessBuilder(python, "bench/interop/train.py", out.toString()).inheritIO().start();
        System.exit(train.waitFor());
    }

    private static long campaign(BenchApp app, String admin, String body, String items) throws Exception {
        long id = Long.parseLong(BenchApp.field(app.call("POST", "/api/v1/campaigns", admin, body), "id"));
        app.send(app.request("/api/v1/campaigns/" + id + "/items", admin).header("Content-Type",
                "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(items)));
        app.call("PATCH", "/api/v1/campaigns/" + id, admin, "{\"status\":\"ACTIVE\"}");
        return id;
    }

    /** Plain prompts and conversations, three responses each. */
    private static String rankingItems(int count) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String prompt = i % 2 == 0
                    ? "\"How do I sort a list number " + i + " in Python?\""
                    : "[{\"role\":\"system\",\"content\":\"Answer briefly.\"},{\"role\":\"user\",\"content\":"
                            + "\"What is item " + i + "?\"},{\"role\":\"assistant\",\"content\":\"Which item?\"},"
                            + "{\"role\":\"user\",\"content\":\"The one numbered " + i + ".\"}]";
            items.append("{\"prompt\":").append(prompt).append(",\"responses\":[\"Use sorted on it, number ")
                    .append(i).append(".\",\"I do not know.\",\"Call the sort method, or sorted for a copy.\"]}\n");
        }
        return items.toString();
    }

    private static String demonstrationItems(int count) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < count; i++) {
            items.append("{\"prompt\":\"Explain idea ").append(i).append(" to a new colleague.\"}\n");
        }
        return items.toString();
    }

    /** A random strict ranking with ratings that agree with it. */
    private static String ranking(JsonNode task) {
        List<String> ids = new ArrayList<>();
        task.path("item").path("responses").forEach(response -> ids.add(response.path("id").asText()));
        Collections.shuffle(ids, RANDOM);
        StringBuilder tiers = new StringBuilder();
        StringBuilder ratings = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            tiers.append(i > 0 ? "," : "").append("[\"").append(ids.get(i)).append("\"]");
            ratings.append(i > 0 ? "," : "").append('"').append(ids.get(i)).append("\":").append(7 - 2 * i);
        }
        return "{\"ranking\":[" + tiers + "],\"ratings\":{" + ratings + "}}";
    }

    interface Answer {

        String body(JsonNode task) throws Exception;
    }

    /** Leases and answers tasks until none is left for this annotator. */
    private static void work(BenchApp app, String annotator, long campaign, Answer answer) throws Exception {
        while (true) {
            HttpResponse<String> next = BenchApp.HTTP.send(app.request("/api/v1/campaigns/" + campaign
                    + "/tasks/next", annotator).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (next.statusCode() == 204) {
                return;
            }
            JsonNode task = JSON.readTree(next.body());
            app.call("POST", "/api/v1/tasks/" + task.path("taskId").asLong() + "/submission", annotator,
                    answer.body(task));
        }
    }

    private static void download(BenchApp app, String token, long campaign, String query, Path file)
            throws Exception {
        Files.writeString(file, app.send(app.request("/api/v1/campaigns/" + campaign + "/export?" + query, token)
                .GET()), StandardCharsets.UTF_8);
    }

    /** A file=hf job's archive. */
    private static byte[] hf(BenchApp app, String token, long campaign) throws Exception {
        long started = System.nanoTime();
        String job = BenchApp.field(app.call("POST", "/api/v1/campaigns/" + campaign + "/exports", token,
                "{\"format\":\"trl\",\"file\":\"hf\",\"testFraction\":0.2}"), "jobId");
        while (true) {
            JsonNode status = JSON.readTree(app.send(app.request("/api/v1/exports/" + job, token).GET()));
            switch (status.path("status").asText()) {
                case "COMPLETED" -> {
                    System.out.printf("file=hf job: %d rows in %.1f s%n", status.path("lines").asLong(),
                            (System.nanoTime() - started) / 1e9);
                    HttpResponse<byte[]> file = BenchApp.HTTP.send(app.request("/api/v1/exports/" + job + "/file",
                            token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                    return file.body();
                }
                case "QUEUED", "RUNNING" -> Thread.sleep(200);
                default -> throw new IllegalStateException("the file=hf job ended " + status);
            }
        }
    }

    private static void unzip(byte[] archive, Path target) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IllegalStateException("an entry outside the folder: " + entry.getName());
                }
                Files.createDirectories(file.getParent());
                Files.write(file, zip.readAllBytes());
            }
        }
    }
}
