package dev.ranklab.generation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.ranklab.support.Api;
import dev.ranklab.support.FakeChatServer;
import dev.ranklab.support.Forms;
import dev.ranklab.support.Tasks;

/**
 * Best-of-N: a reward model trained to prefer helpful answers over curt ones picks the helpful samples first, and
 * each sample's score is what the scoring API gives the same text.
 */
@QuarkusTest
class BestOfNTest {

    private static final String HELPFUL = "Of course! Here is a careful explanation, step by step, with an example "
            + "you can try.";
    private static final String CURT = "No. Figure it out yourself.";

    @Test
    void samplesComeBackScoredBestFirst() throws Exception {
        String researcher = Api.newUser("RESEARCHER");
        try (FakeChatServer server = new FakeChatServer()) {
            long endpoint = GenerationTest.endpoint(server, "policy", 4, null);
            Api.as(researcher).contentType(ContentType.JSON).body(Map.of("endpointId", endpoint, "prompt", "Hi",
                    "n", 33)).post("/api/v1/reward-models/current/best-of-n").then().statusCode(400)
                    .body("detail", containsString("n"));
            servingRewardModel();
            // Three curt and three helpful answers, the curt ones first.
            FakeChatServer.Reply curt = new FakeChatServer.Reply(CURT);
            FakeChatServer.Reply helpful = new FakeChatServer.Reply(HELPFUL);
            int before = server.requests();
            server.then(curt, helpful, curt, helpful, curt, helpful);
            JsonPath result = Api.as(researcher).contentType(ContentType.JSON).body(Map.of("endpointId", endpoint,
                    "prompt", List.of(Map.of("role", "user", "content", "Explain recursion.")), "n", 6,
                    "temperature", 1.0)).post("/api/v1/reward-models/current/best-of-n").then().statusCode(200)
                    .extract().jsonPath();
            List<String> texts = result.getList("samples.text");
            List<Float> scores = result.getList("samples.score", Float.class);
            assertEquals(6, texts.size());
            assertEquals(6, server.requests() - before);
            for (int i = 1; i < scores.size(); i++) {
                assertTrue(scores.get(i - 1) >= scores.get(i), "not best first: " + scores);
            }
            assertEquals(HELPFUL, texts.get(0));
            assertEquals(CURT, texts.get(5));
            assertEquals("stop", result.getString("samples[0].finishReason"));
            List<Float> direct = Api.as(researcher).contentType(ContentType.JSON)
                    .body(Map.of("prompt", "Explain recursion.", "responses", texts))
                    .post("/api/v1/reward-models/current/score").then().statusCode(200).extract()
                    .jsonPath().getList("scores", Float.class);
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(direct.get(i), scores.get(i), 1e-4);
            }
            int scoredBy = Api.as(researcher).contentType(ContentType.JSON)
                    .body(Map.of("prompt", "Explain recursion.", "responses", texts))
                    .post("/api/v1/reward-models/current/score").then().extract().path("version");
            assertEquals(scoredBy, result.getInt("version"));

            server.always(r -> new FakeChatServer.Status(401, "invalid api key"));
            Api.as(researcher).contentType(ContentType.JSON).body(Map.of("endpointId", endpoint, "prompt", "Hi",
                    "n", 2)).post("/api/v1/reward-models/current/best-of-n").then().statusCode(502)
                    .body("detail", containsString(
                            "the server answered 401 at " + server.baseUrl() + "/chat/completions: invalid api key"));
        }
    }

    /**
     * Rejection sampling as a background export: over a campaign's items (SFT lines with the best sample, in item
     * order) and over an uploaded file (TRL pairs of best against worst, in line order), with a manifest that
     * describes the file; a bad upload is refused naming its lines; a failing endpoint fails the job in words; a
     * cancelled job leaves no file.
     */
    @Test
    void rejectionSamplingWritesTheBestSampleOfEachPromptAsAnExport() throws Exception {
        String researcher = Api.newUser("RESEARCHER");
        try (FakeChatServer server = new FakeChatServer()) {
            long endpoint = GenerationTest.endpoint(server, "policy-rs", 4, null);
            servingRewardModel();
            // Each prompt's samples alternate curt and helpful, however requests of different prompts interleave.
            Map<String, AtomicInteger> perPrompt = new ConcurrentHashMap<>();
            server.always(r -> {
                String prompt = r.body().path("messages").get(0).path("content").asText();
                int k = perPrompt.computeIfAbsent(prompt, p -> new AtomicInteger()).getAndIncrement();
                return new FakeChatServer.Reply(k % 2 == 0 ? CURT : HELPFUL);
            });
            long campaign = Api.newCampaign(Map.of("name", Api.unique("rs"), "kind", "DEMONSTRATION", "overlap", 1));
            List<String> topics = List.of("recursion", "closures", "monads", "tail calls", "generics");
            StringBuilder items = new StringBuilder();
            for (String topic : topics) {
                items.append("{\"externalId\":\"").append(topic).append("\",\"prompt\":\"Explain ").append(topic)
                        .append(".\"}\n");
            }
            Api.ndjson(items.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
            String path = "/api/v1/campaigns/" + campaign + "/rejection-sampling";

            Api.as(researcher).contentType(ContentType.JSON).body(Map.of("endpointId", endpoint, "n", 1, "format",
                    "trl")).post(path).then().statusCode(400).body("detail", containsString("n: a pair"));
            // An unknown endpoint is a field error, as for generation; every bad setting is named at once.
            Api.as(researcher).contentType(ContentType.JSON).body(Map.of("endpointId", 987654321, "n", 2)).post(path)
                    .then().statusCode(400)
                    .body("detail", equalTo("endpointId: no model endpoint with id 987654321"));
            Api.as(researcher).contentType(ContentType.TEXT).body("{\"prompt\":\"Hi\"}\n")
                    .post(path + "/upload?endpointId=" + endpoint + "&n=50&temperature=abc&maxTokens=0").then()
                    .statusCode(400).body("detail", containsString("temperature: must be a number"))
                    .body("detail", containsString("n: required, 1 to 32"))
                    .body("detail", containsString("maxTokens: must be 1 to"));
            int job = Api.as(researcher).contentType(ContentType.JSON).body(Map.of("endpointId", endpoint, "n", 4))
                    .post(path).then().statusCode(202).body("format", equalTo("rejection-sft")).extract()
                    .path("jobId");
            JsonPath done = awaitJob(researcher, job);
            assertEquals("COMPLETED", done.getString("status"), done.prettify());
            byte[] file = Api.as(researcher).get("/api/v1/exports/" + job + "/file").then().statusCode(200).extract()
                    .asByteArray();
            List<JsonPath> lines = lines(file);
            assertEquals(topics, lines.stream().map(l -> l.getString("externalId")).toList(), "item order");
            int version = done.getInt("manifest.rewardModelVersion");
            for (JsonPath line : lines) {
                String prompt = line.getString("messages[0].content");
                String best = line.getString("messages[1].content");
                assertEquals("assistant", line.getString("messages[1].role"));
                assertEquals(HELPFUL, best, "the helpful sample wins");
                assertEquals(4, line.getInt("n"));
                assertEquals(version, line.getInt("version"));
                assertEquals("policy-rs", line.getString("model"));
                // The score is the version's score of that text, and no less than the curt sample's.
                List<Float> direct = Api.as(researcher).contentType(ContentType.JSON).body(Map.of("prompt", prompt,
                        "responses", List.of(best, CURT))).post("/api/v1/reward-models/" + version + "/score")
                        .then().statusCode(200).extract().jsonPath().getList("scores", Float.class);
                assertEquals(direct.get(0), line.getFloat("score"), 1e-4);
                assertTrue(direct.get(0) >= direct.get(1));
            }
            assertEquals(4 * topics.size(), perPrompt.values().stream().mapToInt(AtomicInteger::get).sum());
            assertEquals(topics.size(), done.getInt("lines"));
            assertEquals(topics.size(), done.getInt("manifest.prompts"));
            assertEquals(0, done.getInt("manifest.promptsFailed"));
            assertEquals("rejection-sft", done.getString("manifest.format"));
            assertEquals(4, done.getInt("manifest.n"));
            assertEquals("policy-rs", done.getString("manifest.endpoint.model"));
            assertEquals(file.length, done.getLong("manifest.bytes"));
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)),
                    done.getString("manifest.sha256"));

            // The Models page's form: a bad field re-renders the form with the error beside it; a file of prompts
            // starts the job, which the data page then lists.
            String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
            Forms.Csrf csrf = Forms.csrf();
            String form = "/campaigns/" + campaign + "/models/rejection-sampling";
            String refusedForm = RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                    .cookie(Forms.CSRF_COOKIE, csrf.cookie()).multiPart(Forms.CSRF_FIELD, csrf.field())
                    .multiPart("endpointId", Long.toString(endpoint)).multiPart("n", "40").multiPart("format", "sft")
                    .post(form).then().statusCode(400).extract().asString();
            assertTrue(refusedForm.contains("id=\"rs-n-error\"") && refusedForm.contains("required, 1 to 32")
                    && refusedForm.contains("value=\"40\""), refusedForm);
            String location = RestAssured.given().redirects().follow(false).cookie(Forms.SESSION_COOKIE, session)
                    .cookie(Forms.CSRF_COOKIE, csrf.cookie()).multiPart(Forms.CSRF_FIELD, csrf.field())
                    .multiPart("endpointId", Long.toString(endpoint)).multiPart("n", "2").multiPart("format", "sft")
                    .multiPart("prompts", "prompts.jsonl", "{\"prompt\":\"Explain queues.\"}\n"
                            .getBytes(StandardCharsets.UTF_8), "application/x-ndjson")
                    .post(form).then().statusCode(303).extract().header("Location");
            assertTrue(location.endsWith("/campaigns/" + campaign + "/data#jobs"), location);
            String dataPage = RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                    .get("/campaigns/" + campaign + "/data").then().statusCode(200).extract().asString();
            assertTrue(dataPage.contains("rejection sampling · sft · jsonl") && dataPage.contains("1 uploaded prompts"),
                    dataPage);

            // An upload is checked line by line before anything starts.
            String upload = path + "/upload?endpointId=" + endpoint + "&n=2&format=trl";
            ndjson(researcher, "{\"prompt\":\"ok\"}\n{\"prompt\":7}\n\n"
                    + "not json\n{\"prompt\":\"x\",\"answer\":1}\n").post(upload).then().statusCode(400)
                    .body("detail", allOf(containsString("line 2: prompt"), containsString("line 4: not valid JSON"),
                            containsString("line 5: answer: unknown field")));
            ndjson(researcher, "{\"prompt\":\"ok\"}\n").post(path
                    + "/upload?endpointId=" + endpoint + "&n=two").then().statusCode(400)
                    .body("detail", containsString("n: must be a whole number"));
            int pairs = ndjson(researcher, "{\"prompt\":\"Explain sets.\","
                    + "\"externalId\":\"sets\"}\n{\"prompt\":[{\"role\":\"user\",\"content\":\"Explain maps.\"}]}\n")
                    .post(upload).then().statusCode(202).extract().path("jobId");
            JsonPath pairsDone = awaitJob(researcher, pairs);
            assertEquals("COMPLETED", pairsDone.getString("status"), pairsDone.prettify());
            List<JsonPath> pairLines = lines(Api.as(researcher).get("/api/v1/exports/" + pairs + "/file").then()
                    .statusCode(200).extract().asByteArray());
            assertEquals(List.of(1, 2), pairLines.stream().map(l -> l.getInt("line")).toList(), "line order");
            assertEquals("sets", pairLines.get(0).getString("externalId"));
            for (JsonPath line : pairLines) {
                assertEquals(HELPFUL, line.getString("chosen[0].content"));
                assertEquals(CURT, line.getString("rejected[0].content"));
                assertTrue(line.getFloat("chosenScore") > line.getFloat("rejectedScore"));
            }
            assertEquals("upload", pairsDone.getString("manifest.options.source"));

            // An endpoint that refuses the request fails the job, saying why in words.
            server.always(r -> new FakeChatServer.Status(401, "invalid api key"));
            int refused = Api.as(researcher).contentType(ContentType.JSON).body(Map.of("endpointId", endpoint, "n",
                    2)).post(path).then().statusCode(202).extract().path("jobId");
            JsonPath failed = awaitJob(researcher, refused);
            assertEquals("FAILED", failed.getString("status"));
            assertThat(failed.getString("error"), allOf(containsString("sample 1 of 2 from"),
                    containsString(
                            "the server answered 401 at " + server.baseUrl() + "/chat/completions: invalid api key"),
                    startsWith("item ")));
            Api.as(researcher).get("/api/v1/exports/" + refused + "/file").then().statusCode(409);

            // A cancelled job stops waiting for its samples and leaves no file.
            server.always(r -> new FakeChatServer.Silent());
            int before = server.requests();
            int cancelled = Api.as(researcher).contentType(ContentType.JSON).body(Map.of("endpointId", endpoint, "n",
                    2)).post(path).then().statusCode(202).extract().path("jobId");
            for (int i = 0; i < 300 && server.requests() == before; i++) {
                Thread.sleep(20);
            }
            assertTrue(server.requests() > before, "the job sent its first requests");
            Api.as(researcher).post("/api/v1/exports/" + cancelled + "/cancel").then().statusCode(200)
                    .body("status", equalTo("CANCELLED"));
            Api.as(researcher).get("/api/v1/exports/" + cancelled + "/file").then().statusCode(409);
            // The endpoint serves the next job as before, and the cancelled one stays cancelled.
            server.always(r -> new FakeChatServer.Reply(HELPFUL));
            int after = Api.as(researcher).contentType(ContentType.JSON).body(Map.of("endpointId", endpoint, "n", 4,
                    "version", version)).post(path).then().statusCode(202).extract().path("jobId");
            assertEquals("COMPLETED", awaitJob(researcher, after).getString("status"));
            assertEquals("CANCELLED", Api.as(researcher).get("/api/v1/exports/" + cancelled).then().extract()
                    .path("status"));
        }
    }

    private static RequestSpecification ndjson(String token, String body) {
        return Api.as(token).contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<JsonPath> lines(byte[] file) {
        return new String(file, StandardCharsets.UTF_8).lines().map(JsonPath::from).toList();
    }

    private static JsonPath awaitJob(String token, int jobId) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            JsonPath job = Api.as(token).get("/api/v1/exports/" + jobId).then().statusCode(200).extract().jsonPath();
            if (!List.of("QUEUED", "RUNNING").contains(job.getString("status"))) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + jobId + " did not finish");
    }

    /** Trains a reward model on helpful-over-curt rankings unless one serves already. */
    private static void servingRewardModel() throws InterruptedException {
        String admin = Api.adminToken();
        List<Object> promoted = Api.as(admin).get("/api/v1/reward-models").then().statusCode(200).extract()
                .path("findAll { it.promoted == true }");
        if (!promoted.isEmpty()) {
            return;
        }
        long campaign = Api.newCampaign(Map.of("name", Api.unique("bon"), "kind", "RANKING", "responsesPerItem", 2,
                "overlap", 1));
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            file.append("{\"externalId\":\"t").append(i).append("\",\"prompt\":\"Explain topic ").append(i)
                    .append("\",\"responses\":[\"").append(HELPFUL).append(" Topic ").append(i).append(".\",\"")
                    .append(CURT).append("\"]}\n");
        }
        Api.ndjson(file.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        String annotator = Api.newUser("ANNOTATOR");
        for (int i = 0; i < 12; i++) {
            Response task = Tasks.next(annotator, campaign);
            int taskId = task.then().statusCode(200).extract().path("taskId");
            List<Map<String, Object>> responses = task.then().extract().path("item.responses");
            boolean firstHelpful = ((String) responses.get(0).get("text")).startsWith("Of course");
            String helpful = (String) responses.get(firstHelpful ? 0 : 1).get("id");
            String curt = (String) responses.get(firstHelpful ? 1 : 0).get("id");
            Tasks.submit(annotator, taskId, Map.of("ranking", List.of(List.of(helpful), List.of(curt)), "ratings",
                    Map.of(helpful, 6, curt, 2)), null).then().statusCode(201);
        }
        int version = Api.asAdmin().contentType(ContentType.JSON).body(Map.of("campaignId", campaign))
                .post("/api/v1/reward-models/train").then().statusCode(202).extract().path("jobId");
        for (int i = 0; i < 3000; i++) {
            String status = Api.asAdmin().get("/api/v1/reward-models/" + version).then().extract().path("status");
            if (status.equals("READY") || status.equals("FAILED")) {
                break;
            }
            Thread.sleep(100);
        }
        Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/reward-models/" + version + "/promote");
    }
}
