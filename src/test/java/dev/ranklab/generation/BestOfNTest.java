package dev.ranklab.generation;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.ranklab.support.Api;
import dev.ranklab.support.FakeChatServer;
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
                    .body("detail", containsString("the server answered 401: invalid api key"));
        }
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
