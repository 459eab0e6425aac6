package dev.ranklab.rewardmodel;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/**
 * The reward model loop through the API, on rankings made by annotators through the API: one signal the encoder
 * can see (courteous, substantive answers are preferred to curt refusals) over varied topics.
 */
@QuarkusTest
public class RewardModelApiTest {

    private static final String[] TOPICS = {"bread", "tides", "chess", "volcanoes", "tax returns", "bicycles",
            "jazz", "photosynthesis", "knitting", "Roman roads", "compilers", "coffee", "glaciers", "sonnets",
            "interest rates", "bees", "lighthouses", "origami", "eclipses", "sourdough", "marathons", "vaccines",
            "typewriters", "coral reefs", "bridges", "kites", "maps", "violins", "deserts", "printing presses"};

    @Inject
    TrainingRunner runner;

    @Inject
    EmbeddingService embeddings;

    @Inject
    AgroalDataSource dataSource;

    /** A K = 2 campaign whose items one annotator ranks, always preferring the helpful answer. */
    public static long rankedCampaign(String tag, int items) {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("rm-" + tag), "kind", "RANKING",
                "responsesPerItem", 2, "overlap", 1));
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < items; i++) {
            String topic = TOPICS[i % TOPICS.length] + " (" + tag + " " + i + ")";
            file.append("{\"externalId\":\"").append(tag).append(i).append("\",\"prompt\":\"Can you explain ")
                    .append(topic).append(" to me?\",\"responses\":[{\"text\":\"Of course! Here is a clear, ")
                    .append("friendly explanation of ").append(topic)
                    .append(", step by step, with an example you can try.\"},{\"text\":\"No. Figure it out ")
                    .append("yourself.\"}]}\n");
        }
        Api.ndjson(file.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        String annotator = Api.newUser("ANNOTATOR");
        for (int i = 0; i < items; i++) {
            Response task = Tasks.next(annotator, campaign);
            int taskId = task.then().statusCode(200).extract().path("taskId");
            List<Map<String, Object>> responses = task.then().extract().path("item.responses");
            String helpful = (String) (((String) responses.get(0).get("text")).startsWith("Of course")
                    ? responses.get(0).get("id")
                    : responses.get(1).get("id"));
            String curt = helpful.equals(responses.get(0).get("id"))
                    ? (String) responses.get(1).get("id")
                    : (String) responses.get(0).get("id");
            Tasks.submit(annotator, taskId, Map.of("ranking", List.of(List.of(helpful), List.of(curt)), "ratings",
                    Map.of(helpful, 6, curt, 2)), null)
                    .then().statusCode(201);
        }
        return campaign;
    }

    static int train(Map<String, Object> body) {
        return Api.asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/reward-models/train")
                .then().statusCode(202).extract().path("jobId");
    }

    static JsonPath awaitFinished(int version) throws InterruptedException {
        String researcher = Api.adminToken();
        for (int i = 0; i < 1200; i++) {
            JsonPath job = Api.as(researcher).get("/api/v1/reward-models/" + version).then().statusCode(200)
                    .extract().jsonPath();
            String status = job.getString("status");
            if (status.equals("READY") || status.equals("FAILED")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("reward model v" + version + " did not finish");
    }

    static Response score(String token, String path, Object prompt, List<String> responses) {
        return Api.as(token).contentType(ContentType.JSON).body(Map.of("prompt", prompt, "responses", responses))
                .post("/api/v1/reward-models/" + path + "/score");
    }

    @Test
    void trainsScoresRetrainsIncrementallyAndRollsBack() throws Exception {
        long campaign = rankedCampaign("loop", 60);
        int first = train(Map.of("campaignId", campaign));
        JsonPath v1 = awaitFinished(first);
        assertEquals("READY", v1.getString("status"), v1.prettify());
        assertTrue(v1.getBoolean("promoted"), v1.prettify());
        assertEquals(60, v1.getInt("comparisons"));
        assertTrue(v1.getDouble("heldOutAccuracy") > 0.9, v1.prettify());
        assertNotNull(v1.get("metrics.shorterWinsAccuracy"));
        // A full training is cross-validated over prompt groups, beside "shorter wins" on the same folds.
        assertEquals(5, v1.getInt("crossValidation.folds"), v1.prettify());
        assertEquals(60, v1.getInt("crossValidation.pairs"));
        assertEquals(60, v1.getInt("crossValidation.groups"));
        assertTrue(v1.getDouble("crossValidation.accuracy") > 0.9, v1.prettify());
        assertEquals(0.0, v1.getDouble("crossValidation.shorterWins"), 1e-9);
        // Other tests' versions may serve already: the note names the first version or the comparison.
        assertTrue(v1.getString("promotionNote").startsWith("promoted: ")
                && v1.getString("promotionNote").contains("cross-validated accuracy 100.0%"),
                v1.getString("promotionNote"));
        assertEquals(false, v1.getBoolean("refused"));
        assertNotNull(v1.get("fileSha256"));

        String researcher = Api.newUser("RESEARCHER");
        List<Float> scores = score(researcher, "current", "Can you explain barometers to me?",
                List.of("No. Figure it out yourself.", "Of course! Here is a clear, friendly explanation of "
                        + "barometers, step by step, with an example you can try."))
                .then().statusCode(200).body("version", equalTo(first)).extract().path("scores");
        assertTrue(scores.get(1) > scores.get(0), "scores " + scores);

        // Twenty more rankings: the next version warm-starts from the serving one, on the new ones plus replay.
        rankMore(campaign, 20);
        long encodedBefore = embeddings.encodedTexts();
        int second = train(Map.of("campaignId", campaign));
        JsonPath v2 = awaitFinished(second);
        assertEquals("READY", v2.getString("status"), v2.prettify());
        assertEquals("INCREMENTAL", v2.getString("mode"), v2.prettify());
        assertEquals(first, v2.getInt("parentVersion"));
        assertEquals(80, v2.getInt("comparisons"));
        assertNotNull(v2.get("metrics.drift.servingVersionAccuracy"), v2.prettify());
        assertNotNull(v2.get("metrics.previousVersionAccuracy"), v2.prettify());
        assertEquals("warm start from v" + first + " with " + v2.getInt("metrics.incremental.newRankings")
                + " new training rankings", v2.getString("metrics.modeReason"));
        assertNull((Object) v2.get("crossValidation"), v2.prettify());
        assertTrue(v2.getString("metrics.crossValidationNote").contains("not cross-validated"), v2.prettify());
        // Only the new items' texts were embedded: 20 prompts, 20 helpful answers and the one curt answer they share.
        assertEquals(41, embeddings.encodedTexts() - encodedBefore);
        assertEquals(41, v2.getInt("metrics.encodedTexts"));

        // Rollback: promoting the first version makes it serve again.
        Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/reward-models/" + first + "/promote").then()
                .statusCode(200)
                .body("promoted", equalTo(true));
        score(researcher, "current", "Explain tides?", List.of("Sure, gladly.")).then().statusCode(200)
                .body("version", equalTo(first));
        score(researcher, String.valueOf(second), "Explain tides?", List.of("Sure, gladly.")).then()
                .statusCode(200).body("version", equalTo(second));
        List<Map<String, Object>> versions = Api.as(researcher).get("/api/v1/reward-models").then().statusCode(200)
                .extract().path("");
        assertTrue(versions.stream().anyMatch(v -> v.get("version").equals(first)
                && Boolean.TRUE.equals(v.get("promoted"))));
        assertEquals(1, versions.stream().filter(v -> Boolean.TRUE.equals(v.get("promoted"))).count());

        // A damaged parameter file fails the next training; the serving version keeps serving.
        rankMore(campaign, 4);
        Path file = Path.of(fileOf(first));
        byte[] original = Files.readAllBytes(file);
        try {
            Files.write(file, new byte[]{1, 2, 3});
            int broken = train(Map.of("campaignId", campaign));
            JsonPath failed = awaitFinished(broken);
            assertEquals("FAILED", failed.getString("status"));
            assertTrue(failed.getString("error").contains("sha256"), failed.getString("error"));
        } finally {
            Files.write(file, original);
        }
        score(researcher, "current", "Explain tides?", List.of("Sure, gladly.")).then().statusCode(200)
                .body("version", equalTo(first));
    }

    private String fileOf(int version) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection
                        .prepareStatement("SELECT file_path FROM reward_models WHERE version = ?")) {
            statement.setInt(1, version);
            var rows = statement.executeQuery();
            rows.next();
            return rows.getString(1);
        }
    }

    /** Adds items to the campaign and ranks them as before. */
    private static void rankMore(long campaign, int items) {
        String tag = Api.unique("more");
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < items; i++) {
            String topic = TOPICS[(i * 7) % TOPICS.length] + " (" + tag + " " + i + ")";
            file.append("{\"externalId\":\"").append(tag).append(i).append("\",\"prompt\":\"What about ")
                    .append(topic).append("?\",\"responses\":[{\"text\":\"Great question! Here is what ")
                    .append("matters about ").append(topic).append(", explained simply.\"},{\"text\":\"Not ")
                    .append("my problem.\"}]}\n");
        }
        Api.ndjson(file.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        String annotator = Api.newUser("ANNOTATOR");
        for (int i = 0; i < items; i++) {
            Response task = Tasks.next(annotator, campaign);
            int taskId = task.then().statusCode(200).extract().path("taskId");
            List<Map<String, Object>> responses = task.then().extract().path("item.responses");
            boolean firstHelpful = ((String) responses.get(0).get("text")).startsWith("Great");
            String helpful = (String) responses.get(firstHelpful ? 0 : 1).get("id");
            String curt = (String) responses.get(firstHelpful ? 1 : 0).get("id");
            Tasks.submit(annotator, taskId, Map.of("ranking", List.of(List.of(helpful), List.of(curt)), "ratings",
                    Map.of(helpful, 6, curt, 2)), null)
                    .then().statusCode(201);
        }
    }

    /** A training on one campaign must not silently replace a version that learned from every campaign. */
    @Test
    void aNarrowerTrainingNeedsAConfirmationToReplaceTheServingVersion() throws Exception {
        long campaign = rankedCampaign("narrow", 4);
        Integer previous = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            RewardModelVersion serving = RewardModelVersion.serving();
            return serving == null ? null : serving.version;
        });
        int wide;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO reward_models (status, mode, trigger, created_at, finished_at)
                        VALUES ('READY', 'FULL', 'ADMIN', now(), now()) RETURNING version""")) {
            var rows = insert.executeQuery();
            rows.next();
            wide = rows.getInt(1);
        }
        try {
            promoteBySql(wide);
            Api.asAdmin().contentType(ContentType.JSON).body(Map.of("campaignId", campaign))
                    .post("/api/v1/reward-models/train").then().statusCode(409)
                    .body("detail", containsString("v" + wide + " serves and learned from every ranking campaign"))
                    .body("detail", containsString("replaceWiderScope"));
            int confirmed = train(Map.of("campaignId", campaign, "replaceWiderScope", true));
            // It ran (and failed only because the stand-in serving version has no parameter file to start from).
            JsonPath finished = awaitFinished(confirmed);
            assertTrue(finished.getString("error").contains("no parameter file"), finished.prettify());
        } finally {
            if (previous != null) {
                promoteBySql(previous);
            } else {
                promoteBySql(-1);
            }
        }
    }

    private void promoteBySql(int version) throws Exception {
        // Two statements: at most one version may be promoted at any moment (a unique index checked row by row).
        try (Connection connection = dataSource.getConnection();
                PreparedStatement clear = connection
                        .prepareStatement("UPDATE reward_models SET promoted = false WHERE promoted");
                PreparedStatement update = connection
                        .prepareStatement("UPDATE reward_models SET promoted = true WHERE version = ?")) {
            clear.executeUpdate();
            update.setInt(1, version);
            update.executeUpdate();
        }
    }

    @Test
    void oneTrainingAtATimeAcrossInstances() throws Exception {
        long campaign = rankedCampaign("lock", 12);
        int version;
        // Another instance holds the lock: this one's runner leaves the training queued.
        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, TrainingRunner.LOCK_KEY);
            lock.execute();
            version = train(Map.of("campaignId", campaign, "fullRetrain", true));
            assertEquals(0, runner.drain());
            Api.asAdmin().get("/api/v1/reward-models/" + version).then().statusCode(200)
                    .body("status", equalTo("QUEUED"));
            try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, TrainingRunner.LOCK_KEY);
                unlock.execute();
            }
        }
        runner.wake();
        assertEquals("READY", awaitFinished(version).getString("status"));
    }

    @Test
    void rolesAndBadInputGetClearAnswers() {
        String annotator = Api.newUser("ANNOTATOR");
        String researcher = Api.newUser("RESEARCHER");
        Api.as(annotator).get("/api/v1/reward-models").then().statusCode(403);
        Api.as(researcher).contentType(ContentType.JSON).body(Map.of()).post("/api/v1/reward-models/train").then()
                .statusCode(403);
        Api.as(researcher).post("/api/v1/reward-models/1/promote").then().statusCode(403);
        io.restassured.RestAssured.given().get("/api/v1/reward-models").then().statusCode(401);

        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("hidden", -1, "marginFrom", "vibes"))
                .post("/api/v1/reward-models/train").then().statusCode(400)
                .body("detail", containsString("hidden")).body("detail", containsString("marginFrom"));
        long demonstrations = Api.newCampaign(Map.of("name", Api.unique("demo"), "kind", "DEMONSTRATION"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("campaignId", demonstrations))
                .post("/api/v1/reward-models/train").then().statusCode(400)
                .body("detail", containsString("campaignId"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("campaignId", 987654321))
                .post("/api/v1/reward-models/train").then().statusCode(400)
                .body("detail", containsString("does not exist"));
        Api.asAdmin().contentType(ContentType.JSON).body("{\"campaignId\": 1, \"epochs\": 3}")
                .post("/api/v1/reward-models/train").then().statusCode(400)
                .body("detail", containsString("epochs"));

        score(researcher, "current", "hi", List.of()).then().statusCode(400)
                .body("detail", containsString("responses"));
        score(researcher, "current", List.of(Map.of("role", "robot", "content", "hi")), List.of("a")).then()
                .statusCode(400).body("detail", containsString("prompt[0].role"));
        Api.as(researcher).contentType(ContentType.JSON).body("{\"prompt\":\"hi\",\"responses\":[\"a\",null]}")
                .post("/api/v1/reward-models/current/score").then().statusCode(400)
                .body("detail", containsString("responses[1]"));
        score(researcher, "banana", "hi", List.of("a")).then().statusCode(404);
        score(researcher, "999999", "hi", List.of("a")).then().statusCode(404);
        Api.as(researcher).get("/api/v1/reward-models/0").then().statusCode(404);
    }

    static JsonPath awaitScored(String token, long campaign, int version) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonPath summary = Api.as(token).queryParam("version", version)
                    .get("/api/v1/campaigns/" + campaign + "/scores").then().statusCode(200).extract().jsonPath();
            if (summary.getLong("itemsScored") == summary.getLong("items") && !summary.getBoolean("running")) {
                return summary;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("campaign " + campaign + " was not scored");
    }

    @Test
    void campaignScoresReachExportsTheQueueAndOnlyPermittedAnnotators() throws Exception {
        long campaign = rankedCampaign("scored", 16);
        int version = train(Map.of("campaignId", campaign, "fullRetrain", true));
        assertEquals("READY", awaitFinished(version).getString("status"));
        Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/reward-models/" + version + "/promote").then()
                .statusCode(200);

        String researcher = Api.newUser("RESEARCHER");
        Api.as(researcher).contentType(ContentType.JSON).body(Map.of()).post("/api/v1/campaigns/" + campaign
                + "/scores").then().statusCode(202).body("version", equalTo(version));
        JsonPath summary = awaitScored(researcher, campaign, version);
        assertEquals(16, summary.getInt("itemsScored"));
        assertEquals(16, summary.getInt("agreement.pairs"));
        assertTrue(summary.getDouble("agreement.accuracy") > 0.9, summary.prettify());

        String pairs = Api.as(researcher).queryParam("format", "pairs").queryParam("includeScores", "true")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract().asString();
        List<String> lines = pairs.lines().toList();
        assertEquals(16, lines.size());
        JsonPath first = JsonPath.from(lines.get(0));
        assertEquals(version, first.getInt("scoreVersion"));
        assertTrue(first.getFloat("chosenScore") > first.getFloat("rejectedScore"), lines.get(0));
        String rankings = Api.as(researcher).queryParam("format", "rankings").queryParam("includeScores", "true")
                .queryParam("scoreVersion", version).get("/api/v1/campaigns/" + campaign + "/export").then()
                .statusCode(200).extract().asString();
        assertNotNull(JsonPath.from(rankings.lines().findFirst().orElseThrow()).get("scores.r2"));
        for (String format : List.of("pairs", "rankings")) {
            byte[] parquet = Api.as(researcher).queryParam("format", format).queryParam("file", "parquet")
                    .queryParam("includeScores", "true").get("/api/v1/campaigns/" + campaign + "/export").then()
                    .statusCode(200).extract().asByteArray();
            assertEquals("PAR1", new String(parquet, 0, 4, java.nio.charset.StandardCharsets.US_ASCII), format);
        }
        Api.as(researcher).queryParam("format", "trl").queryParam("includeScores", "true")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400)
                .body("detail", containsString("includeScores"));
        Api.as(researcher).queryParam("format", "pairs").queryParam("scoreVersion", version)
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400)
                .body("detail", containsString("includeScores=true"));

        // Active learning: the item whose two answers the model can barely tell apart is served first.
        long queue = Api.newCampaign(Map.of("name", Api.unique("uncertain"), "kind", "RANKING", "responsesPerItem",
                2, "queuePolicy", "UNCERTAINTY_FIRST"));
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            file.append("{\"externalId\":\"clear").append(i).append("\",\"prompt\":\"Can you explain kites ")
                    .append(i).append(" to me?\",\"responses\":[{\"text\":\"Of course! Here is a clear, ")
                    .append("friendly explanation of kites, step by step.\"},{\"text\":\"No. Figure it out ")
                    .append("yourself.\"}]}\n");
        }
        file.append("{\"externalId\":\"close\",\"prompt\":\"Can you explain maps to me?\",\"responses\":[")
                .append("{\"text\":\"Of course! Here is a clear explanation of maps.\"},{\"text\":\"Of course! ")
                .append("Here is a clear explanation of maps!\"}]}\n");
        Api.ndjson(file.toString()).post("/api/v1/campaigns/" + queue + "/items").then().statusCode(200);
        Api.setStatus(queue, "ACTIVE");
        Api.as(researcher).contentType(ContentType.JSON).body(Map.of("version", version))
                .post("/api/v1/campaigns/" + queue + "/scores").then().statusCode(202);
        awaitScored(researcher, queue, version);
        String annotator = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(annotator, queue);
        task.then().statusCode(200).body("item.prompt[0].content", equalTo("Can you explain maps to me?"))
                .body("item.responses[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("modelScore")));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("showScoresToAnnotators", true))
                .patch("/api/v1/campaigns/" + queue).then().statusCode(200);
        Tasks.next(annotator, queue).then().statusCode(200).body("item.responses[0].modelScore",
                org.hamcrest.Matchers.notNullValue());
    }

    @Inject
    RewardModelScheduler scheduler;

    /** The scheduler's queries run against the real schema (the rule itself is unit-tested). */
    @Test
    void theSchedulersQueriesRun() {
        rankedCampaign("due", 4);
        RewardModelVersion.Trigger trigger = scheduler.due();
        assertTrue(trigger == null || trigger == RewardModelVersion.Trigger.NEW_COMPARISONS, String.valueOf(trigger));
        scheduler.scoreForUncertaintyQueues();
    }
}
