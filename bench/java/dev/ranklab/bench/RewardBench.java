package dev.ranklab.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.datasets.HhRlhf;
import dev.ranklab.datasets.LabeledItem;
import dev.ranklab.datasets.PandaLm;
import dev.ranklab.rewardmodel.SentenceEncoder;

/**
 * Runs the reward model loop through the public API of a packaged app, as a deployment would:
 * <ol>
 * <li>HH-harmless (K = 2) and PandaLM (K = 5, three annotators) imported with the converters and ranked by
 * annotators through the queue; a full training on each; held-out accuracy beside "shorter wins".</li>
 * <li>Scoring throughput on texts never seen (no cache hits) beside the raw ONNX encoder on the same kind of texts,
 * same thread count, same run.</li>
 * <li>Training time per 1,000 comparisons, and an incremental retrain after +1,000 comparisons on top of 20,000
 * beside a full retrain on the same data. The comparisons repeat HH-harmless's (its 1,168 are all there are), so
 * their texts come from the embedding cache and the timing is the training's.</li>
 * </ol>
 */
public class RewardBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int THREADS = Runtime.getRuntime().availableProcessors();
    static final java.util.concurrent.atomic.AtomicInteger ROUND = new java.util.concurrent.atomic.AtomicInteger();

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("data", "../shared/data"));
        int base = Integer.getInteger("base", 20_000);
        int added = Integer.getInteger("added", 1_000);
        int scored = Integer.getInteger("scored", 2_000);
        List<LabeledItem> hh;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(data.resolve("hh-harmless-train.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
            HhRlhf.Converted converted = HhRlhf.read(reader);
            hh = converted.items();
            System.out.println("HH-harmless: " + hh.size() + " pairs, skipped " + converted.skipped());
        }
        PandaLm.Converted panda;
        try (Reader reader = Files.newBufferedReader(data.resolve("pandalm-testset-v1.json"))) {
            panda = PandaLm.read(reader, 5);
        }
        Map<String, String> env = Map.of("RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false",
                "RANKLAB_REWARD_MODEL_ENCODER_THREADS", Integer.toString(THREADS));
        try (BenchApp app = BenchApp.start("2g", env, List.of())) {
            String admin = app.adminToken();

            long hhCampaign = campaign(app, admin, "HH-harmless", 2, 1);
            importItems(app, admin, hhCampaign, hh);
            rank(app, admin, hhCampaign, hh, 4, false);
            JsonNode hhModel = trainAndWait(app, admin, "{\"campaignId\":" + hhCampaign + ",\"fullRetrain\":true}");
            report("HH-harmless", hhModel);

            long pandaCampaign = campaign(app, admin, "PandaLM", 5, 3);
            importItems(app, admin, pandaCampaign, panda.items());
            rank(app, admin, pandaCampaign, panda.items(), 3, true);
            System.out.printf("PandaLM: %d instructions with 5 responses, %d with fewer skipped%n",
                    panda.items().size(), panda.skipped());
            JsonNode pandaModel = trainAndWait(app, admin,
                    "{\"campaignId\":" + pandaCampaign + ",\"fullRetrain\":true}");
            report("PandaLM", pandaModel);

            // Serve the HH model for the scoring measurement.
            app.call("POST", "/api/v1/reward-models/" + hhModel.get("version").asInt() + "/promote", admin, "{}");
            // Two alternating rounds of each, best of each: the machine is shared and noisy.
            scoring(app, admin, hh, 64, "warm-up");
            double scoringPerSecond = 0;
            double rawPerSecond = 0;
            for (int round = 0; round < 2; round++) {
                scoringPerSecond = Math.max(scoringPerSecond, scoring(app, admin, hh, scored / 2, "served" + round));
                rawPerSecond = Math.max(rawPerSecond, rawEncoder(hh, scored / 2, "raw" + round));
            }
            System.out.printf(Locale.ROOT, "scoring: %.1f responses/s through the API, raw encoder %.1f texts/s%n",
                    scoringPerSecond, rawPerSecond);

            long big = campaign(app, admin, "HH-repeated", 2, 1);
            List<LabeledItem> repeated = repeat(hh, base + added);
            importItems(app, admin, big, repeated.subList(0, base));
            rank(app, admin, big, repeated.subList(0, base), 4, false);
            JsonNode full20k = trainAndWait(app, admin, "{\"campaignId\":" + big + ",\"fullRetrain\":true}");
            // The incremental step warm-starts from the serving version: make it this one, whatever the gate said.
            app.call("POST", "/api/v1/reward-models/" + full20k.get("version").asInt() + "/promote", admin, "{}");
            importItems(app, admin, big, repeated.subList(base, base + added));
            rank(app, admin, big, repeated.subList(base, base + added), 4, false);
            JsonNode incremental = trainAndWait(app, admin, "{\"campaignId\":" + big + "}");
            // The ratio below names an incremental retrain: refuse to print it over anything else.
            if (!incremental.get("mode").asText().equals("INCREMENTAL")) {
                throw new IllegalStateException("the step measured as incremental trained " + incremental.get("mode")
                        .asText() + " (" + incremental.at("/metrics/modeReason").asText() + "): no "
                        + "incremental_vs_full to report");
            }
            JsonNode full = trainAndWait(app, admin, "{\"campaignId\":" + big + ",\"fullRetrain\":true}");
            if (!full.get("mode").asText().equals("FULL")) {
                throw new IllegalStateException("the full retrain ran " + full.get("mode").asText());
            }
            double perThousand = full20k.at("/metrics/trainingSeconds").asDouble() / (base / 1000.0);
            double incrementalSeconds = incremental.at("/metrics/trainingSeconds").asDouble();
            double fullSeconds = full.at("/metrics/trainingSeconds").asDouble();
            // Fitting alone: a full training also fits the five cross-validation models, an incremental one does not.
            double incrementalFit = incremental.at("/metrics/fitSeconds").asDouble();
            double fullFit = full.at("/metrics/fitSeconds").asDouble();
            System.out.printf(Locale.ROOT,
                    "training: %.2f s per 1,000 comparisons (full, %d); +%d: incremental (%s) %.1f s acc %.4f, "
                            + "full %.1f s acc %.4f%n",
                    perThousand, base, added, incremental.get("mode").asText(), incrementalSeconds,
                    incremental.get("heldOutAccuracy").asDouble(), fullSeconds,
                    full.get("heldOutAccuracy").asDouble());
            System.out.printf(Locale.ROOT, "fitting alone: incremental %.1f s, full %.1f s (ratio %.2f)%n",
                    incrementalFit, fullFit, incrementalFit / fullFit);
            JsonNode hhCv = crossValidation("HH-harmless", hhModel);
            JsonNode pandaCv = crossValidation("PandaLM", pandaModel);
            System.out.printf(Locale.ROOT,
                    "RESULT scoring_per_s=%.1f scoring_vs_raw_encoder=%.2f incremental_vs_full=%.2f "
                            + "incremental_vs_full_fit=%.2f hh_cv_acc=%.4f hh_cv_low=%.4f hh_cv_high=%.4f "
                            + "hh_cv_shorter=%.4f panda_cv_acc=%.4f panda_cv_low=%.4f panda_cv_high=%.4f "
                            + "panda_cv_shorter=%.4f heldout_acc=%.4f%n",
                    scoringPerSecond, scoringPerSecond / rawPerSecond, incrementalSeconds / fullSeconds,
                    incrementalFit / fullFit, hhCv.get("accuracy").asDouble(), hhCv.get("accuracyLow").asDouble(),
                    hhCv.get("accuracyHigh").asDouble(), hhCv.get("shorterWins").asDouble(),
                    pandaCv.get("accuracy").asDouble(), pandaCv.get("accuracyLow").asDouble(),
                    pandaCv.get("accuracyHigh").asDouble(), pandaCv.get("shorterWins").asDouble(),
                    hhModel.get("heldOutAccuracy").asDouble());
        }
    }

    static long campaign(BenchApp app, String admin, String name, int k, int overlap) throws Exception {
        String created = app.call("POST", "/api/v1/campaigns", admin, JSON.writeValueAsString(Map.of("name",
                name + " " + System.nanoTime(), "kind", "RANKING", "responsesPerItem", k, "overlap", overlap)));
        long id = JSON.readTree(created).get("id").asLong();
        return id;
    }

    static void importItems(BenchApp app, String admin, long campaign, List<LabeledItem> items) throws Exception {
        StringBuilder file = new StringBuilder();
        for (LabeledItem item : items) {
            List<Map<String, String>> responses = new ArrayList<>();
            item.responses().forEach(text -> responses.add(Map.of("text", text)));
            file.append(JSON.writeValueAsString(Map.of("externalId", item.externalId(), "prompt", item.prompt(),
                    "responses", responses))).append('\n');
        }
        String report = app.send(app.request("/api/v1/campaigns/" + campaign + "/items", admin)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(file.toString())));
        JsonNode parsed = JSON.readTree(report);
        if (parsed.get("imported").asInt() + parsed.get("duplicates").asInt() != items.size()) {
            throw new IllegalStateException("import rejected lines: " + report);
        }
        app.call("PATCH", "/api/v1/campaigns/" + campaign, admin, "{\"status\":\"ACTIVE\"}");
    }

    /** Key of an item as the queue serves it: its response texts in id order. */
    static String key(List<String> texts) {
        return String.join("\u0000", texts);
    }

    /**
     * Annotators lease items through the queue and submit the data set's ranking. With {@code perAnnotator}, the
     * i-th annotator submits the i-th of an item's rankings (PandaLM's three people); otherwise every annotator
     * submits the single ranking.
     */
    static void rank(BenchApp app, String admin, long campaign, List<LabeledItem> items, int annotators,
            boolean perAnnotator) throws Exception {
        Map<String, LabeledItem> byKey = new HashMap<>();
        items.forEach(item -> byKey.put(key(item.responses()), item));
        ExecutorService pool = Executors.newFixedThreadPool(annotators);
        List<Future<Integer>> done = new ArrayList<>();
        for (int a = 0; a < annotators; a++) {
            int index = a;
            String name = "annotator-" + campaign + "-" + ROUND.incrementAndGet();
            app.call("POST", "/api/v1/users", admin, "{\"username\":\"" + name
                    + "\",\"password\":\"bench-password-123\",\"role\":\"ANNOTATOR\"}");
            String token = BenchApp.field(app.call("POST", "/api/v1/auth/token", null,
                    "{\"username\":\"" + name + "\",\"password\":\"bench-password-123\"}"), "token");
            done.add(pool.submit(() -> {
                int submitted = 0;
                while (true) {
                    HttpResponse<String> next = BenchApp.HTTP.send(
                            app.request("/api/v1/campaigns/" + campaign + "/tasks/next", token).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (next.statusCode() == 204) {
                        return submitted;
                    }
                    JsonNode task = JSON.readTree(next.body());
                    Map<String, String> textById = new HashMap<>();
                    task.at("/item/responses").forEach(r -> textById.put(r.get("id").asText(),
                            r.get("text").asText()));
                    List<String> texts = new ArrayList<>();
                    for (int i = 1; i <= textById.size(); i++) {
                        texts.add(textById.get("r" + i));
                    }
                    LabeledItem item = byKey.get(key(texts));
                    List<List<String>> ranking = item.rankings()
                            .get(perAnnotator ? Math.min(index, item.rankings().size() - 1) : 0);
                    Map<String, Integer> ratings = new HashMap<>();
                    for (int tier = 0; tier < ranking.size(); tier++) {
                        for (String id : ranking.get(tier)) {
                            ratings.put(id, Math.max(1, 7 - 2 * tier));
                        }
                    }
                    app.call("POST", "/api/v1/tasks/" + task.get("taskId").asLong() + "/submission", token,
                            JSON.writeValueAsString(Map.of("ranking", ranking, "ratings", ratings)));
                    submitted++;
                }
            }));
        }
        for (Future<Integer> future : done) {
            future.get();
        }
        pool.shutdown();
    }

    static JsonNode trainAndWait(BenchApp app, String admin, String body) throws Exception {
        int version = JSON.readTree(app.call("POST", "/api/v1/reward-models/train", admin, body)).get("jobId")
                .asInt();
        while (true) {
            JsonNode model = JSON.readTree(app.send(app.request("/api/v1/reward-models/" + version, admin)));
            String status = model.get("status").asText();
            if (status.equals("READY")) {
                return model;
            }
            if (status.equals("FAILED")) {
                throw new IllegalStateException("training failed: " + model.get("error").asText());
            }
            Thread.sleep(500);
        }
    }

    /** The version's cross-validation; a full training without one did not measure what RESULT names. */
    static JsonNode crossValidation(String name, JsonNode model) {
        JsonNode cv = model.get("crossValidation");
        if (cv == null || cv.isNull()) {
            throw new IllegalStateException(name + ": v" + model.get("version").asInt() + " was not "
                    + "cross-validated (" + model.at("/metrics/crossValidationNote").asText() + ")");
        }
        return cv;
    }

    static void report(String name, JsonNode model) {
        JsonNode metrics = model.get("metrics");
        JsonNode cv = crossValidation(name, model);
        System.out.printf(Locale.ROOT,
                "%s: v%d grouped %d-fold cross-validation over %d prompt groups, %d pairs: accuracy %.4f "
                        + "(95%% interval %.4f-%.4f), shorter wins %.4f on the same pairs, difference %+.4f "
                        + "(%+.4f to %+.4f), folds %s; %s%n",
                name, model.get("version").asInt(), cv.get("folds").asInt(), cv.get("groups").asInt(),
                cv.get("pairs").asInt(), cv.get("accuracy").asDouble(), cv.get("accuracyLow").asDouble(),
                cv.get("accuracyHigh").asDouble(), cv.get("shorterWins").asDouble(), cv.get("difference").asDouble(),
                cv.get("differenceLow").asDouble(), cv.get("differenceHigh").asDouble(), cv.get("foldAccuracies"),
                model.get("promotionNote").asText());
        System.out.printf(Locale.ROOT,
                "%s: v%d held-out pairwise accuracy %.4f (%d pairs), shorter-wins %.4f, log loss %.4f, "
                        + "temperature %.2f, %d epochs (best %d), %.1f s, %d texts truncated%n",
                name, model.get("version").asInt(), model.path("heldOutAccuracy").asDouble(Double.NaN),
                metrics.at("/heldOut/pairs").asInt(), metrics.path("shorterWinsAccuracy").asDouble(Double.NaN),
                metrics.at("/heldOut/logLoss").asDouble(Double.NaN), metrics.get("temperature").asDouble(),
                metrics.get("epochs").asInt(), metrics.get("bestEpoch").asInt(),
                metrics.get("trainingSeconds").asDouble(), metrics.get("truncatedTexts").asInt());
    }

    /** Responses of HH-harmless made unique with a suffix, so none is in the cache. */
    static List<String> fresh(List<LabeledItem> hh, int count, String tag) {
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LabeledItem item = hh.get(i % hh.size());
            texts.add(item.responses().get(i / hh.size() % 2) + " [" + tag + " " + i + "]");
        }
        return texts;
    }

    /** Responses per second through POST /api/v1/reward-models/current/score, 16 responses a call. */
    static double scoring(BenchApp app, String token, List<LabeledItem> hh, int count, String tag)
            throws Exception {
        List<String> texts = fresh(hh, count, tag);
        long start = System.nanoTime();
        for (int i = 0; i < count; i += 16) {
            List<String> chunk = texts.subList(i, Math.min(count, i + 16));
            app.call("POST", "/api/v1/reward-models/current/score", token, JSON.writeValueAsString(Map.of(
                    "prompt", hh.get(i % hh.size()).prompt(), "responses", chunk)));
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** Texts per second through the encoder alone (tokenise, ONNX Runtime, pool), same batch sizes. */
    static double rawEncoder(List<LabeledItem> hh, int count, String tag) throws Exception {
        Path directory = Files.createTempDirectory("raw-encoder");
        try (SentenceEncoder encoder = SentenceEncoder.open(directory, THREADS)) {
            encoder.encode(fresh(hh, 64, "warm-up"), SentenceEncoder.Truncation.HEAD);
            List<String> texts = fresh(hh, count, tag);
            long start = System.nanoTime();
            for (int i = 0; i < count; i += 16) {
                encoder.encode(texts.subList(i, Math.min(count, i + 16)), SentenceEncoder.Truncation.HEAD);
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** HH-harmless's items repeated under new external ids until there are {@code count}. */
    static List<LabeledItem> repeat(List<LabeledItem> hh, int count) {
        List<LabeledItem> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LabeledItem item = hh.get(i % hh.size());
            items.add(new LabeledItem(item.externalId() + "-copy" + i, item.prompt(), item.responses(),
                    item.rankings()));
        }
        return items;
    }
}
