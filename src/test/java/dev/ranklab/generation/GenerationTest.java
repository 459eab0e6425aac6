package dev.ranklab.generation;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.ranklab.support.Api;
import dev.ranklab.support.FakeChatServer;
import dev.ranklab.support.Forms;
import dev.ranklab.support.Tasks;

@QuarkusTest
class GenerationTest {

    @Inject
    EntityManager em;

    @Inject
    GenerationRunner runner;

    @Inject
    dev.ranklab.endpoints.EndpointPermits permits;

    static long endpoint(FakeChatServer server, String model, int maxConcurrency, String apiKey) {
        Map<String, Object> body = new HashMap<>(Map.of("name", Api.unique(model), "baseUrl", server.baseUrl(),
                "model", model, "maxConcurrency", maxConcurrency, "timeoutSeconds", 5));
        if (apiKey != null) {
            body.put("apiKey", apiKey);
        }
        return ((Number) Api.asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/model-endpoints")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    /** A RANKING campaign with the given items imported without responses, active. */
    static long waitingCampaign(int k, List<String> prompts) {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("gen"), "kind", "RANKING", "responsesPerItem", k,
                "overlap", 1));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < prompts.size(); i++) {
            lines.append("{\"externalId\":\"").append(prompts.get(i)).append("\",\"prompt\":\"Question ")
                    .append(prompts.get(i)).append("\"}\n");
        }
        Api.ndjson(lines.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200)
                .body("imported", equalTo(prompts.size()));
        Api.setStatus(campaign, "ACTIVE");
        return campaign;
    }

    static long start(long campaign, List<Map<String, Object>> sources) {
        return ((Number) Api.asAdmin().contentType(ContentType.JSON).body(Map.of("sources", sources))
                .post("/api/v1/campaigns/" + campaign + "/generations").then().statusCode(202)
                .body("status", equalTo("RUNNING")).extract().path("jobId")).longValue();
    }

    /** Waits for the job to leave RUNNING (bounded: a stuck job fails the test instead of hanging it). */
    JsonPath finish(long job) throws InterruptedException {
        for (int i = 0; i < 1500; i++) {
            runner.pump();
            JsonPath view = Api.asAdmin().get("/api/v1/generations/" + job).then().statusCode(200).extract()
                    .jsonPath();
            if (!view.getString("status").equals("RUNNING")) {
                return view;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + job + " did not finish");
    }

    private List<String> prompts(String prefix, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
    }

    @Test
    void everyItemGetsExactlyKResponsesEachSlotOnceWithinTheEndpointsLimits() throws Exception {
        String key = "sk-gen-" + Api.unique("key");
        try (FakeChatServer alpha = new FakeChatServer(); FakeChatServer beta = new FakeChatServer()) {
            alpha.always(r -> new FakeChatServer.Answer(20));
            beta.always(r -> new FakeChatServer.Answer(20));
            // Each kind of trouble once: all are retried, and none may make a slot count twice.
            alpha.then(new FakeChatServer.RateLimited(1), new FakeChatServer.Status(500, "overloaded"),
                    new FakeChatServer.Malformed(), new FakeChatServer.Reset());
            long a = endpoint(alpha, "alpha-7b", 3, key);
            long b = endpoint(beta, "beta-1b", 2, null);
            int items = 24;
            long campaign = waitingCampaign(3, prompts("q", items));
            String annotator = Api.newUser("ANNOTATOR");
            Tasks.next(annotator, campaign).then().statusCode(204);

            long job = start(campaign, List.of(Map.of("endpointId", a, "samples", 2),
                    Map.of("endpointId", b, "samples", 1)));
            // A second job for the campaign waits for the first.
            Api.asAdmin().contentType(ContentType.JSON).body(Map.of("sources", List.of(Map.of("endpointId", b,
                    "samples", 3)))).post("/api/v1/campaigns/" + campaign + "/generations").then()
                    .statusCode(409);
            JsonPath done = finish(job);
            assertEquals("COMPLETED", done.getString("status"));
            assertEquals(items, done.getInt("items"));
            assertEquals(items, done.getInt("itemsDone"));
            assertEquals(0, done.getInt("itemsFailed"));

            assertTrue(alpha.maxInFlight() <= 3, "alpha saw " + alpha.maxInFlight() + " requests at once");
            assertTrue(beta.maxInFlight() <= 2, "beta saw " + beta.maxInFlight() + " requests at once");
            // Every slot was asked for once, plus one retry per scripted failure: none twice.
            assertEquals(2 * items + 4, alpha.requests());
            assertEquals(items, beta.requests());
            assertEquals(3 * items + 4, done.getInt("requests"));
            assertTrue(done.getLong("completionTokens") > 0);
            assertTrue(alpha.received().stream().allMatch(r -> ("Bearer " + key).equals(r.headers()
                    .get("authorization"))));
            assertTrue(beta.received().stream().noneMatch(r -> r.headers().containsKey("authorization")));

            List<Map<String, Object>> stored = Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items")
                    .then().statusCode(200).extract().path("");
            assertEquals(items, stored.size());
            for (Map<String, Object> item : stored) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> responses = (List<Map<String, Object>>) item.get("responses");
                assertEquals(List.of("r1", "r2", "r3"), responses.stream().map(r -> r.get("id")).toList());
                assertEquals(List.of("alpha-7b", "alpha-7b", "beta-1b"),
                        responses.stream().map(r -> r.get("model")).toList());
                assertTrue(((String) responses.get(0).get("text")).endsWith("Question " + item.get("externalId")));
            }
            Number slots = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery("""
                    SELECT count(*) FROM generation_slots s JOIN items i ON i.id = s.item_id
                     WHERE i.campaign_id = ?1 AND s.status = 'DONE'""").setParameter(1, campaign)
                    .getSingleResult());
            assertEquals(3 * items, slots.intValue());

            // Now leasable, and annotators never see the model.
            String task = Tasks.next(annotator, campaign).then().statusCode(200).extract().asString();
            assertFalse(task.contains("\"model\""), task);

            String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
            String page = RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                    .get("/campaigns/" + campaign + "/generations").then().statusCode(200).extract().asString();
            assertTrue(page.contains(items + " of " + items + " items done"), page);
            for (String answer : List.of(page, done.prettify(),
                    Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/generations").asString())) {
                assertFalse(answer.contains(key), "the key leaked: " + answer);
            }
        }
    }

    @Test
    void anItemThatKeepsFailingIsMarkedInWordsWhileTheJobGoesOn() throws Exception {
        try (FakeChatServer server = new FakeChatServer()) {
            server.always(r -> r.body().toString().contains("poison")
                    ? new FakeChatServer.Status(503, "no capacity")
                    : new FakeChatServer.Answer(0));
            long e = endpoint(server, "gamma", 4, null);
            long campaign = waitingCampaign(2, List.of("fine-1", "poison", "fine-2"));
            JsonPath done = finish(start(campaign, List.of(Map.of("endpointId", e, "samples", 2))));
            assertEquals("COMPLETED", done.getString("status"));
            assertEquals(2, done.getInt("itemsDone"));
            assertEquals(1, done.getInt("itemsFailed"));
            assertEquals("poison", done.getString("errors[0].externalId"));
            // Both slots failed: the item says so for each, naming its endpoint.
            String error = done.getString("errors[0].error");
            assertTrue(error.contains("response r1 (") && error.contains("; response r2 (")
                    && error.contains("the server answered 503 at " + server.baseUrl()
                            + "/chat/completions: no capacity"),
                    error);
            long firstJob = done.getLong("jobId");
            String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
            RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                    .get("/campaigns/" + campaign + "/items?status=GENERATION_FAILED").then().statusCode(200)
                    .body(containsString("poison")).body(containsString("generation failed"))
                    .body(containsString("no capacity"));
            long poison = ((Number) Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items?status="
                    + "GENERATION_FAILED").then().statusCode(200).extract().path("[0].id")).longValue();
            RestAssured.given().cookie(Forms.SESSION_COOKIE, session).get("/review/items/" + poison).then()
                    .statusCode(200).body(containsString("Generation failed"))
                    .body(containsString("no capacity"))
                    // Without its responses the item offers no review or gold actions.
                    .body(containsString("None yet: the generated responses are stored together"))
                    .body(org.hamcrest.Matchers.not(containsString("Make gold")))
                    .body(org.hamcrest.Matchers.not(containsString("Mark reviewed")));
            // The page says the job completed with a failure, not just "completed".
            RestAssured.given().cookie(Forms.SESSION_COOKIE, session).get("/campaigns/" + campaign + "/generations")
                    .then().statusCode(200).body(containsString("completed, 1 of 3 failed"));

            // The server recovers: a new job generates what is missing, and only that.
            int before = server.requests();
            server.always(r -> new FakeChatServer.Answer(0));
            JsonPath again = finish(start(campaign, List.of(Map.of("endpointId", e, "samples", 2))));
            assertEquals(1, again.getInt("items"));
            assertEquals(1, again.getInt("itemsDone"));
            assertEquals(0, again.getInt("itemsFailed"));
            assertTrue(server.requests() - before <= 2, "asked again for " + (server.requests() - before));
            // The first job's record is as it was when it ended, though the second took its slots over.
            JsonPath first = Api.asAdmin().get("/api/v1/generations/" + firstJob).then().statusCode(200).extract()
                    .jsonPath();
            assertEquals(2, first.getInt("itemsDone"));
            assertEquals(1, first.getInt("itemsFailed"));
            assertEquals(error, first.getString("errors[0].error"));
        }
    }

    @Test
    void aCancelledJobStopsAndTheNextOneGeneratesOnlyWhatIsMissing() throws Exception {
        try (FakeChatServer server = new FakeChatServer()) {
            server.always(r -> new FakeChatServer.Answer(50));
            long e = endpoint(server, "delta", 1, null);
            int items = 10;
            long campaign = waitingCampaign(2, prompts("c", items));
            long job = start(campaign, List.of(Map.of("endpointId", e, "samples", 2)));
            int doneAtCancel = Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/generations/" + job
                    + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED")).extract()
                    .path("itemsDone");
            Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/generations/" + job + "/cancel").then()
                    .statusCode(409);
            JsonPath done = finish(start(campaign, List.of(Map.of("endpointId", e, "samples", 2))));
            // The cancelled job's record stays as the cancel answered it, though the next job took its slots over.
            int doneBeforeCancel = Api.asAdmin().get("/api/v1/generations/" + job).then().statusCode(200).extract()
                    .jsonPath().getInt("itemsDone");
            assertEquals(doneAtCancel, doneBeforeCancel);
            // Items the cancelled job finished are not the next job's; an answer in flight at the cancel may
            // complete one more item, counted by neither job.
            int counted = doneBeforeCancel + done.getInt("itemsDone");
            assertTrue(counted == items || counted == items - 1, counted + " of " + items);
            assertEquals(done.getInt("items"), done.getInt("itemsDone"));
            Number stored = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery("""
                    SELECT count(*) FROM generation_slots s JOIN items i ON i.id = s.item_id
                     WHERE i.campaign_id = ?1 AND s.status = 'DONE'""").setParameter(1, campaign)
                    .getSingleResult());
            assertEquals(2 * items, stored.intValue());
            // At most the one request in flight when the job was cancelled was answered but not stored.
            assertTrue(server.requests() <= 2 * items + 1, "requests: " + server.requests());
        }
    }

    @Test
    void aSlotWhoseWorkerDiedIsTakenOverAndAStoredSlotNeverChanges() throws Exception {
        try (FakeChatServer server = new FakeChatServer()) {
            long e = endpoint(server, "epsilon", 2, null);
            long campaign = waitingCampaign(2, List.of("crash"));
            long item = ((Number) Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items").then()
                    .extract().path("[0].id")).longValue();
            // As if an instance claimed the slot and died: the claim is there, its lease ran out.
            QuarkusTransaction.requiringNew().run(() -> {
                long job = ((Number) em.createNativeQuery("""
                        INSERT INTO generation_jobs (campaign_id, status, sources) VALUES (?1, 'RUNNING',
                        CAST(?2 AS jsonb)) RETURNING id""").setParameter(1, campaign)
                        .setParameter(2, "[{\"endpointId\":" + e + ",\"samples\":2}]").getSingleResult())
                        .longValue();
                em.createNativeQuery("""
                        INSERT INTO generation_slots (item_id, slot, job_id, endpoint_id, status, claim,
                                                      lease_expires_at)
                        VALUES (?1, 1, ?2, ?3, 'RUNNING', gen_random_uuid(), now() - interval '1 second'),
                               (?1, 2, ?2, ?3, 'PENDING', NULL, NULL)""")
                        .setParameter(1, item).setParameter(2, job).setParameter(3, e).executeUpdate();
            });
            long job = ((Number) Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/generations").then()
                    .extract().path("[0].jobId")).longValue();
            assertEquals(1, finish(job).getInt("itemsDone"));
            assertEquals(2, server.requests());
            assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "UPDATE generation_slots SET text = 'replaced' WHERE item_id = ?1 AND slot = 1")
                    .setParameter(1, item)
                    .executeUpdate()));
            assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "INSERT INTO generation_slots (item_id, slot, job_id, status) SELECT item_id, slot, job_id, "
                            + "'PENDING' FROM generation_slots WHERE item_id = ?1")
                    .setParameter(1, item)
                    .executeUpdate()));
        }
    }

    @Test
    void badRequestsAreRefusedNamingTheField() throws Exception {
        try (FakeChatServer server = new FakeChatServer()) {
            long e = endpoint(server, "zeta", 1, null);
            long campaign = waitingCampaign(3, List.of("v"));
            String url = "/api/v1/campaigns/" + campaign + "/generations";
            Api.asAdmin().contentType(ContentType.JSON).body(Map.of("sources", List.of(Map.of("endpointId", e,
                    "samples", 2)))).post(url).then().statusCode(400)
                    .body("detail", containsString("the samples add up to 2; this campaign needs exactly 3"));
            Api.asAdmin().contentType(ContentType.JSON).body(Map.of("sources", List.of(Map.of("endpointId",
                    987654321, "samples", 3)), "temperature", 5)).post(url).then().statusCode(400)
                    .body("detail", containsString("sources[0].endpointId"))
                    .body("detail", containsString("temperature"));
            Api.asAdmin().contentType(ContentType.JSON).body(Map.of()).post(url).then().statusCode(400)
                    .body("detail", containsString("sources"));
            // The page says the same by the endpoint's name, as its row is labelled, not by the API's field.
            String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
            Forms.post(session, "/campaigns/" + campaign + "/generations", Map.of("endpoint", Long.toString(e),
                    "samples", "5")).then().statusCode(400).body(org.hamcrest.Matchers.matchesPattern(
                            "(?s).*id=\"sources-error\">zeta[^<]* samples: must be 1 to 3<.*"))
                    .body(org.hamcrest.Matchers.not(containsString("sources[")));
            long demo = Api.newCampaign(Map.of("name", Api.unique("demo"), "kind", "DEMONSTRATION"));
            Api.asAdmin().contentType(ContentType.JSON).body(Map.of("sources", List.of(Map.of("endpointId", e,
                    "samples", 1)))).post("/api/v1/campaigns/" + demo + "/generations").then().statusCode(409);
            Api.asAdmin().get("/api/v1/generations/987654321").then().statusCode(404);
            // Nothing waits for responses: no job.
            long empty = Api.newCampaign(Map.of("name", Api.unique("empty"), "kind", "RANKING", "responsesPerItem",
                    2));
            Api.asAdmin().contentType(ContentType.JSON).body(Map.of("sources", List.of(Map.of("endpointId", e,
                    "samples", 2)))).post("/api/v1/campaigns/" + empty + "/generations").then().statusCode(409)
                    .body("detail", containsString("no item of this campaign waits for responses"));

            // An endpoint a running job uses is removed only when forced; the job's items then say why.
            long held = QuarkusTransaction.requiringNew().call(() -> permits.tryAcquire(e)).callId();
            long job = start(campaign, List.of(Map.of("endpointId", e, "samples", 3)));
            Api.asAdmin().delete("/api/v1/model-endpoints/" + e).then().statusCode(409)
                    .body("detail", containsString("generation job " + job + " (campaign " + campaign + ")"))
                    .body("detail", containsString("force=true"));
            Api.asAdmin().delete("/api/v1/model-endpoints/" + e + "?force=true").then().statusCode(204);
            permits.release(held);
            JsonPath ended = finish(job);
            assertEquals(1, ended.getInt("itemsFailed"));
            assertTrue(ended.getString("errors[0].error").contains("its model endpoint was removed"),
                    ended.getString("errors[0].error"));
            Api.as(Api.newUser("RESEARCHER")).get("/api/v1/generations/1").then().statusCode(403);
        }
    }
}
