package dev.ranklab.tasks;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/**
 * Revising submitted work through the API: the Done list's paging, every reason a revision is refused, the same
 * Idempotency-Key answered once, racing revisions all kept in order, and only the latest revision counted by exports,
 * agreement and gold scores.
 */
@QuarkusTest
class RevisionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().build();
    private static final List<List<String>> BEST_FIRST = List.of(List.of("r1"), List.of("r2"), List.of("r3"));
    private static final List<List<String>> WORST_FIRST = List.of(List.of("r3"), List.of("r2"), List.of("r1"));

    @TestHTTPResource("/")
    URL base;

    @Inject
    EntityManager em;

    static Map<String, Object> ranking(List<List<String>> tiers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ranking", tiers);
        body.put("ratings", Map.of("r1", 4, "r2", 4, "r3", 4));
        return body;
    }

    static Response revise(String token, long taskId, Object body, String key) {
        var request = Api.as(token).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.put("/api/v1/tasks/" + taskId + "/submission");
    }

    /** The annotator leases the next task and submits this ranking of r1…r3; answers the task id. */
    static long rank(String annotator, long campaign, List<List<String>> tiers) {
        int taskId = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        Tasks.submit(annotator, taskId, ranking(tiers), null).then().statusCode(201);
        return taskId;
    }

    private static Response mine(String token, long campaign, Map<String, ?> query) {
        return Api.as(token).queryParams(query).get("/api/v1/campaigns/" + campaign + "/tasks/mine");
    }

    @Test
    void theDoneListPagesNewestFirstWithEachTasksLatestSubmission() {
        long campaign = Tasks.activeRankingCampaign(3, 1, 6);
        String annotator = Api.newUser("ANNOTATOR");
        List<Long> finished = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            finished.add(rank(annotator, campaign, i % 2 == 0 ? BEST_FIRST : WORST_FIRST));
        }
        int skipped = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        Tasks.submit(annotator, skipped, Map.of("outcome", "SKIPPED", "reason", "off topic"), null).then()
                .statusCode(201);
        finished.add((long) skipped);
        // A leased, unfinished task is not listed.
        Tasks.next(annotator, campaign).then().statusCode(200);
        revise(annotator, finished.get(0), ranking(WORST_FIRST), "k1").then().statusCode(200);

        List<Long> seen = new ArrayList<>();
        Long before = null;
        int pages = 0;
        do {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("limit", 2);
            if (before != null) {
                query.put("before", before);
            }
            List<Map<String, Object>> page = mine(annotator, campaign, query).then().statusCode(200).extract()
                    .path("");
            assertTrue(page.size() <= 2);
            page.forEach(task -> seen.add(((Number) task.get("taskId")).longValue()));
            before = page.size() < 2 ? null : ((Number) page.get(page.size() - 1).get("taskId")).longValue();
            pages++;
        } while (before != null && pages < 10);
        List<Long> newestFirst = new ArrayList<>(finished);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen, "every finished task once, newest first");

        mine(annotator, campaign, Map.of()).then().statusCode(200).body("", hasSize(5))
                .body("[0].taskId", equalTo(skipped)).body("[0].outcome", equalTo("SKIPPED"))
                .body("[0].reason", equalTo("off topic")).body("[0].revision", nullValue())
                .body("[0].revisable", equalTo(false))
                .body("[0].notRevisableBecause", containsString("only submitted work can be revised"))
                .body("[1].outcome", equalTo("SUBMITTED")).body("[1].revision", equalTo(1))
                .body("[1].ranking", equalTo(WORST_FIRST)).body("[1].ratings.r1", equalTo(4))
                .body("[1].promptStart", equalTo("question i3")).body("[1].revisable", equalTo(true))
                .body("[1].displayOrder", hasSize(3))
                .body("[4].taskId", equalTo(finished.get(0).intValue())).body("[4].revision", equalTo(2))
                .body("[4].ranking", equalTo(WORST_FIRST));
        // Another annotator sees none of them; bad paging is refused in words.
        mine(Api.newUser("ANNOTATOR"), campaign, Map.of()).then().statusCode(200).body("", hasSize(0));
        mine(annotator, campaign, Map.of("limit", 0)).then().statusCode(400).body("detail", containsString("limit"));
        mine(annotator, campaign, Map.of("limit", 101)).then().statusCode(400);
        mine(Api.newUser("ANNOTATOR"), campaign, Map.of("before", finished.get(1))).then().statusCode(400)
                .body("detail", containsString("before"));
        mine(annotator, 987654321, Map.of()).then().statusCode(404);
    }

    @Test
    void aRevisionIsANewVersionAndTheOldOneIsKept() {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        String annotator = Api.newUser("ANNOTATOR");
        long taskId = rank(annotator, campaign, BEST_FIRST);
        Map<String, Object> body = ranking(WORST_FIRST);
        body.put("ratings", Map.of("r1", 6, "r2", 4, "r3", 2));
        body.put("flags", Map.of("r3", List.of("hallucination")));
        body.put("comment", "changed my mind");
        int id = revise(annotator, taskId, body, "first-revision").then().statusCode(200)
                .body("taskId", equalTo((int) taskId)).body("revision", equalTo(2))
                .body("outcome", equalTo("SUBMITTED"))
                .body("warnings", hasSize(3)).extract().path("id");
        mine(annotator, campaign, Map.of()).then().body("[0].submissionId", equalTo(id))
                .body("[0].revision", equalTo(2)).body("[0].comment", equalTo("changed my mind"))
                .body("[0].flags.r3", equalTo(List.of("hallucination")));
        revise(annotator, taskId, ranking(List.of(List.of("r2", "r3"), List.of("r1"))), "second-revision").then()
                .statusCode(200).body("id", equalTo(id)).body("revision", equalTo(3)).body("warnings", hasSize(0));
        List<Object[]> kept = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT revision, tiers::text, comment, revision_key FROM ranking_revisions WHERE ranking_id = ?1 "
                        + "ORDER BY revision",
                Object[].class).setParameter(1, id).getResultList());
        assertEquals(2, kept.size());
        assertEquals(1, ((Number) kept.get(0)[0]).intValue());
        assertEquals("[[\"r1\"], [\"r2\"], [\"r3\"]]", kept.get(0)[1]);
        assertEquals(null, kept.get(0)[3]);
        assertEquals("[[\"r3\"], [\"r2\"], [\"r1\"]]", kept.get(1)[1]);
        assertEquals("changed my mind", kept.get(1)[2]);
        assertEquals("first-revision", kept.get(1)[3]);
        // The audit log says who revised what, from which ranking to which.
        Api.asAdmin().queryParam("action", "ranking.revise").get("/api/v1/audit").then().statusCode(200)
                .body("find { it.details.ranking == " + id + " && it.details.revision == 3 }.details.before",
                        equalTo("r3 > r2 > r1"))
                .body("find { it.details.ranking == " + id + " && it.details.revision == 3 }.details.after",
                        equalTo("r2 = r3 > r1"));
    }

    @Test
    void demonstrationsAreRevisedToo() {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("demo-revise"), "kind", "DEMONSTRATION",
                "overlap", 1));
        Api.ndjson("{\"prompt\":\"Write a haiku\"}\n").post("/api/v1/campaigns/" + campaign + "/items").then()
                .statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        String annotator = Api.newUser("ANNOTATOR");
        int taskId = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        Tasks.submit(annotator, taskId, Map.of("demonstration", "first draft"), null).then().statusCode(201);
        revise(annotator, taskId, Map.of("demonstration", "an old silent pond"), "d1").then().statusCode(200)
                .body("revision", equalTo(2));
        revise(annotator, taskId, Map.of("demonstration", ""), "d2").then().statusCode(400)
                .body("detail", containsString("demonstration"));
        mine(annotator, campaign, Map.of()).then().body("[0].demonstration", equalTo("an old silent pond"))
                .body("[0].revision", equalTo(2)).body("[0].ranking", nullValue());
        String researcher = Api.newUser("RESEARCHER");
        String sft = Api.as(researcher).queryParam("format", "sft").get("/api/v1/campaigns/" + campaign + "/export")
                .then().statusCode(200).extract().asString();
        assertTrue(sft.contains("an old silent pond") && !sft.contains("first draft"), sft);
    }

    @Test
    void revisingIsRefusedInWordsWhenItIsClosed() {
        long campaign = Tasks.activeRankingCampaign(3, 1, 6);
        String annotator = Api.newUser("ANNOTATOR");
        long taskId = rank(annotator, campaign, BEST_FIRST);
        Map<String, Object> body = ranking(WORST_FIRST);

        revise(annotator, 987654321, body, "k").then().statusCode(404);
        revise(Api.newUser("ANNOTATOR"), taskId, body, "k").then().statusCode(409)
                .body("detail", containsString("another annotator's"));
        revise(annotator, taskId, body, null).then().statusCode(400)
                .body("detail", containsString("Idempotency-Key"));
        revise(annotator, taskId, ranking(List.of(List.of("r1"), List.of("r2"))), "k").then().statusCode(400)
                .body("detail", containsString("r3"));
        revise(annotator, taskId, Map.of("outcome", "SKIPPED", "reason", "x"), "k").then().statusCode(400)
                .body("detail", containsString("outcome"));

        int leased = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        revise(annotator, leased, body, "k").then().statusCode(409)
                .body("detail", containsString("not submitted yet"));
        Tasks.submit(annotator, leased, Map.of("outcome", "SKIPPED", "reason", "off topic"), null).then()
                .statusCode(201);
        revise(annotator, leased, body, "k").then().statusCode(409).body("detail", containsString("skipped"));

        long rejectedTask = rank(annotator, campaign, BEST_FIRST);
        int rejectedRanking = mine(annotator, campaign, Map.of()).then().extract().path("[0].submissionId");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "careless"))
                .post("/api/v1/review/rankings/" + rejectedRanking + "/rejection").then().statusCode(204);
        revise(annotator, rejectedTask, body, "k").then().statusCode(409).body("detail", containsString("rejected"));

        long reviewedTask = rank(annotator, campaign, BEST_FIRST);
        int reviewedItem = mine(annotator, campaign, Map.of()).then().extract().path("[0].itemId");
        Api.asAdmin().post("/api/v1/review/items/" + reviewedItem + "/reviewed").then().statusCode(204);
        revise(annotator, reviewedTask, body, "k").then().statusCode(409).body("detail", containsString("reviewed"));
        mine(annotator, campaign, Map.of()).then().body("[0].revisable", equalTo(false))
                .body("[0].notRevisableBecause", containsString("reviewed"));

        Api.setStatus(campaign, "PAUSED");
        revise(annotator, taskId, body, "k").then().statusCode(409).body("detail", containsString("paused"));
        mine(annotator, campaign, Map.of()).then().statusCode(200).body("revisable", equalTo(List.of(false, false,
                false, false)));
        Api.setStatus(campaign, "ACTIVE");
        revise(annotator, taskId, body, "k").then().statusCode(200).body("revision", equalTo(2));
    }

    private HttpResponse<String> put(String token, long taskId, String body, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                + "/api/v1/tasks/" + taskId + "/submission")).header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the bodies at once (all released by one latch) and answers the responses in the order sent. */
    private List<HttpResponse<String>> atOnce(String token, long taskId, List<String> bodies, List<String> keys)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            String key = keys.get(i);
            sent.add(pool.submit(() -> {
                start.await();
                return put(token, taskId, body, key);
            }));
        }
        start.countDown();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> response : sent) {
            answers.add(response.get());
        }
        pool.shutdown();
        return answers;
    }

    @Test
    void oneKeyRevisesOnceAndRacingRevisionsAreAllStoredInOrder() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        String annotator = Api.newUser("ANNOTATOR");
        long taskId = rank(annotator, campaign, BEST_FIRST);

        // The same request six times at once (a double click, a retry): one revision, one answer.
        String body = JSON.writeValueAsString(ranking(WORST_FIRST));
        Set<String> answers = new HashSet<>();
        for (HttpResponse<String> answer : atOnce(annotator, taskId, List.of(body, body, body, body, body, body),
                List.of("same", "same", "same", "same", "same", "same"))) {
            assertEquals(200, answer.statusCode(), answer.body());
            answers.add(answer.body());
        }
        assertEquals(1, answers.size(), "every retry got the first answer: " + answers);
        assertEquals(2, JSON.readTree(answers.iterator().next()).get("revision").asInt());
        assertEquals(1L, keptVersions(taskId));

        // Six different revisions at once: each is stored, one after the other, none lost or half written.
        List<List<List<String>>> orders = List.of(BEST_FIRST, WORST_FIRST,
                List.of(List.of("r2"), List.of("r1"), List.of("r3")), List.of(List.of("r1", "r2", "r3")),
                List.of(List.of("r3"), List.of("r1", "r2")), List.of(List.of("r2"), List.of("r3"), List.of("r1")));
        List<String> bodies = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            bodies.add(JSON.writeValueAsString(ranking(orders.get(i))));
            keys.add("racer-" + i);
        }
        Map<Integer, List<List<String>>> byRevision = new java.util.TreeMap<>();
        List<HttpResponse<String>> raced = atOnce(annotator, taskId, bodies, keys);
        for (int i = 0; i < raced.size(); i++) {
            HttpResponse<String> answer = raced.get(i);
            assertEquals(200, answer.statusCode(), answer.body());
            byRevision.put(JSON.readTree(answer.body()).get("revision").asInt(), orders.get(i));
        }
        assertEquals(Set.of(3, 4, 5, 6, 7, 8), byRevision.keySet(), "each racer got a revision of its own");
        assertEquals(7L, keptVersions(taskId), "versions 1 to 7 kept, 8 the latest");
        // Each kept version holds what the request that made it sent, and the latest the last one's.
        for (var entry : byRevision.entrySet()) {
            JsonNode version = JSON.readTree(tiersOf(taskId, entry.getKey()));
            assertEquals(JSON.valueToTree(entry.getValue()), version, "revision " + entry.getKey());
        }
        // Replaying a racer's key later answers its own revision again, and stores nothing.
        HttpResponse<String> replay = put(annotator, taskId, bodies.get(0), "racer-0");
        assertEquals(200, replay.statusCode());
        assertEquals(raced.get(0).body(), replay.body());
        assertEquals(7L, keptVersions(taskId));
    }

    private static List<JsonNode> lines(String body) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private long keptVersions(long taskId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM ranking_revisions v JOIN rankings r ON r.id = v.ranking_id WHERE r.task_id = ?1")
                .setParameter(1, taskId).getSingleResult()).longValue());
    }

    /** The tiers of one version of the task's ranking, kept or latest. */
    private String tiersOf(long taskId, int revision) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("""
                SELECT tiers::text FROM rankings WHERE task_id = ?1 AND revision = ?2
                UNION ALL
                SELECT v.tiers::text FROM ranking_revisions v JOIN rankings r ON r.id = v.ranking_id
                 WHERE r.task_id = ?1 AND v.revision = ?2
                """).setParameter(1, taskId).setParameter(2, revision).getSingleResult());
    }

    @Test
    void onlyTheLatestRevisionIsExportedMeasuredAndScoredAgainstGold() throws Exception {
        // Two annotators on one item: they disagree on (r2, r3) until the second one revises.
        long campaign = Tasks.activeRankingCampaign(3, 2, 1);
        String first = Api.newUser("ANNOTATOR");
        String second = Api.newUser("ANNOTATOR");
        rank(first, campaign, BEST_FIRST);
        long revised = rank(second, campaign, List.of(List.of("r1"), List.of("r3"), List.of("r2")));
        String researcher = Api.newUser("RESEARCHER");
        String agreement = "/api/v1/campaigns/" + campaign + "/agreement";
        assertEquals(2.0 / 3, Api.as(researcher).get(agreement).then().statusCode(200).extract().jsonPath()
                .getDouble("pairwiseAgreement"), 1e-6);
        revise(second, revised, ranking(BEST_FIRST), "agree").then().statusCode(200);
        // Measured again, not served from the cache of before the revision.
        assertEquals(1.0, Api.as(researcher).get(agreement).then().statusCode(200).extract().jsonPath()
                .getDouble("pairwiseAgreement"), 1e-6);

        List<JsonNode> rankings = lines(Api.as(researcher).queryParam("format", "rankings")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract().asString());
        assertEquals(2, rankings.size(), "one line per task, never one per revision");
        JsonNode line = rankings.stream().filter(l -> l.get("taskId").asLong() == revised).findFirst().orElseThrow();
        assertEquals(2, line.get("revision").asInt());
        assertEquals(JSON.valueToTree(BEST_FIRST), line.get("tiers"));
        assertEquals(1, rankings.stream().filter(l -> l.get("taskId").asLong() != revised).findFirst().orElseThrow()
                .get("revision").asInt());
        List<JsonNode> pairs = lines(Api.as(researcher).queryParam("format", "pairs").get("/api/v1/campaigns/"
                + campaign + "/export").then().statusCode(200).extract().asString());
        assertEquals(6, pairs.size());
        assertTrue(pairs.stream().noneMatch(pair -> pair.get("chosenId").asText().equals("r3")
                && pair.get("rejectedId").asText().equals("r2")), "the replaced r3 > r2 is gone: " + pairs);

        // Gold: the annotator's score against the reference follows the revision.
        long goldItem = ((Number) Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items").then()
                .statusCode(200).extract().path("[0].id")).longValue();
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("ranking", WORST_FIRST))
                .put("/api/v1/items/" + goldItem + "/gold").then().statusCode(200);
        String gold = "/api/v1/campaigns/" + campaign + "/agreement/gold";
        Api.as(researcher).get(gold).then().statusCode(200).body("perAnnotator.agreement", equalTo(List.of(0.0f,
                0.0f)));
        revise(second, revised, ranking(WORST_FIRST), "match-gold").then().statusCode(200).body("revision",
                equalTo(3));
        Api.as(researcher).get(gold).then().statusCode(200)
                .body("perAnnotator.agreement.sort()", equalTo(List.of(0.0f, 1.0f)));
    }
}
