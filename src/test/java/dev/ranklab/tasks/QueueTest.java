package dev.ranklab.tasks;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

@QuarkusTest
class QueueTest {

    @Inject
    QueueService queue;

    @Transactional
    void expireLease(long taskId) {
        Task.update("leaseExpiresAt = ?1 where id = ?2", OffsetDateTime.now().minusSeconds(1), taskId);
    }

    /** The task's status and its item's count of live leases. */
    @Transactional
    List<Object> leaseState(long taskId) {
        Object[] row = (Object[]) Task.getEntityManager().createNativeQuery(
                "SELECT t.status, i.leased FROM tasks t JOIN items i ON i.id = t.item_id WHERE t.id = ?1")
                .setParameter(1, taskId).getSingleResult();
        return List.of(row[0], ((Number) row[1]).intValue());
    }

    @Test
    void leasesATaskWithShuffledResponsesAndNoModelNames() {
        long campaign = Tasks.activeRankingCampaign(4, 1, 3);
        String annotator = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(annotator, campaign);
        task.then().statusCode(200)
                .body("taskId", org.hamcrest.Matchers.notNullValue())
                .body("leaseExpiresAt", org.hamcrest.Matchers.notNullValue())
                .body("item.prompt[0].role", equalTo("user"))
                .body("item.responses", hasSize(4))
                .body("item.responses[0]", not(hasKey("model")));
        assertEquals(Set.of("r1", "r2", "r3", "r4"), new HashSet<>(Tasks.responseIds(task)));
    }

    @Test
    void askingAgainReturnsTheSameLiveTask() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 3);
        String annotator = Api.newUser("ANNOTATOR");
        int first = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        int again = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        assertEquals(first, again);
        List<String> order = Tasks.responseIds(Tasks.next(annotator, campaign));
        assertEquals(order, Tasks.responseIds(Tasks.next(annotator, campaign)), "the shown order is stable");
    }

    @Test
    void itemsGoToAtMostOverlapAnnotatorsThenTheQueueIsEmpty() {
        long campaign = Tasks.activeRankingCampaign(2, 2, 2);
        String a = Api.newUser("ANNOTATOR");
        String b = Api.newUser("ANNOTATOR");
        String c = Api.newUser("ANNOTATOR");
        Set<Integer> itemsOfA = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            Response task = Tasks.next(a, campaign);
            itemsOfA.add(task.then().statusCode(200).extract().path("item.id"));
            Tasks.submitShownOrder(a, task).then().statusCode(201);
        }
        assertEquals(2, itemsOfA.size(), "never the same item twice");
        Tasks.next(a, campaign).then().statusCode(204);
        for (int i = 0; i < 2; i++) {
            Response task = Tasks.next(b, campaign);
            Tasks.submitShownOrder(b, task).then().statusCode(201);
        }
        Tasks.next(c, campaign).then().statusCode(204);
    }

    @Test
    void mostAnnotatedItemsComeFirst() {
        long campaign = Tasks.activeRankingCampaign(2, 2, 3);
        String a = Api.newUser("ANNOTATOR");
        String b = Api.newUser("ANNOTATOR");
        Response first = Tasks.next(a, campaign);
        int item = first.then().extract().path("item.id");
        Tasks.submitShownOrder(a, first).then().statusCode(201);
        Tasks.next(b, campaign).then().body("item.id", equalTo(item));
    }

    @Test
    void anExpiredLeaseIsRefusedReturnsToThePoolAndCanBeLeasedAgain() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String a = Api.newUser("ANNOTATOR");
        String b = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(a, campaign);
        int taskId = task.then().extract().path("taskId");
        Tasks.next(b, campaign).then().statusCode(204);
        expireLease(taskId);
        Tasks.submit(a, taskId, Tasks.rankingFor(Tasks.responseIds(task)), null).then().statusCode(409)
                .body("detail", containsString("expired"));
        // The 10-second sweeper may release it before this call does: whichever does, it is released exactly once.
        queue.releaseExpiredLeases();
        assertEquals(List.of("EXPIRED", 0), leaseState(taskId));
        // a's lease is renewed in place, keeping the task id, and the work can be submitted
        Api.as(a).contentType("application/json").post("/api/v1/tasks/" + taskId + "/lease").then().statusCode(200)
                .body("taskId", equalTo(taskId));
        Tasks.next(b, campaign).then().statusCode(204);
        Tasks.submit(a, taskId, Tasks.rankingFor(Tasks.responseIds(task)), null).then().statusCode(201);
    }

    @Test
    void anExpiredItemGoesToSomeoneElseAndTheLateAnnotatorIsToldSo() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String a = Api.newUser("ANNOTATOR");
        String b = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(a, campaign);
        int taskId = task.then().extract().path("taskId");
        expireLease(taskId);
        queue.releaseExpiredLeases();
        Response taken = Tasks.next(b, campaign);
        Tasks.submitShownOrder(b, taken).then().statusCode(201);
        Api.as(a).contentType("application/json").post("/api/v1/tasks/" + taskId + "/lease").then().statusCode(409)
                .body("detail", containsString("no longer needs work"));
        Tasks.next(a, campaign).then().statusCode(204);
    }

    @Test
    void idempotentRetriesStoreOneRankingAndReturnTheFirstAnswer() {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        String a = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(a, campaign);
        int taskId = task.then().extract().path("taskId");
        Map<String, Object> body = Tasks.rankingFor(Tasks.responseIds(task));
        int id = Tasks.submit(a, taskId, body, "key-1").then().statusCode(201).extract().path("id");
        Tasks.submit(a, taskId, body, "key-1").then().statusCode(201).body("id", equalTo(id));
        Tasks.submit(a, taskId, body, "key-2").then().statusCode(409).body("detail", containsString("already"));
        Tasks.submit(a, taskId, body, null).then().statusCode(409);
        assertEquals(1, countRankings(taskId));
    }

    @Transactional
    long countRankings(long taskId) {
        return dev.ranklab.rankings.Ranking.count("taskId", taskId);
    }

    @Test
    void someoneElsesTaskIsAConflict() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String a = Api.newUser("ANNOTATOR");
        String b = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(a, campaign);
        Tasks.submitShownOrder(b, task).then().statusCode(409).body("detail", containsString("another annotator"));
        Tasks.submit(b, 987654321, Tasks.rankingFor(Tasks.responseIds(task)), null).then().statusCode(404);
    }

    @Test
    void everyRankingRuleIsChecked() {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        String a = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(a, campaign);
        int taskId = task.then().extract().path("taskId");
        Map<String, Integer> ratings = Map.of("r1", 5, "r2", 4, "r3", 3);
        record Case(Object body, String detail) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("ratings", ratings), "ranking: is required"),
                new Case(Map.of("ranking", List.of(List.of("r1"), List.of("r2")), "ratings", ratings),
                        "ranking: every response must be ranked; missing r3"),
                new Case(Map.of("ranking", List.of(List.of("r1", "r2"), List.of("r2", "r3")), "ratings", ratings),
                        "ranking: 'r2' appears more than once"),
                new Case(Map.of("ranking", List.of(List.of("r1", "r9"), List.of("r2", "r3")), "ratings", ratings),
                        "'r9' is not a response of this item"),
                new Case(Map.of("ranking", List.of(List.of("r1"), List.of(), List.of("r2", "r3")), "ratings",
                        ratings), "tier 2 is empty"),
                new Case(Map.of("ranking", List.of(List.of("r1", "r2", "r3")), "ratings",
                        Map.of("r1", 8, "r2", 4, "r3", 3)), "ratings: r1: must be between 1 and 7"),
                new Case(Map.of("ranking", List.of(List.of("r1", "r2", "r3")), "ratings", Map.of("r1", 2)),
                        "ratings: rate every response from 1 to 7; missing r2, r3"),
                new Case(Map.of("ranking", List.of(List.of("r1", "r2", "r3")), "ratings", ratings, "flags",
                        Map.of("r1", List.of("rude"))), "flags: r1: 'rude' is not one of this campaign's flags"),
                new Case(Map.of("ranking", List.of(List.of("r1", "r2", "r3")), "ratings", ratings, "comment",
                        "x".repeat(5001)), "comment: must be at most 5000"),
                new Case(Map.of("outcome", "UNRANKABLE"), "reason: say why"),
                new Case(Map.of("outcome", "LATER", "reason", "x"),
                        "outcome: must be SUBMITTED, SKIPPED or UNRANKABLE"),
                new Case(Map.of("ranking", List.of(List.of("r1", "r2", "r3")), "ratings", ratings, "rating", 3),
                        "unknown field 'rating'"),
                new Case(Map.of("ranking", "r1>r2", "ratings", ratings), "field 'ranking'"));
        for (Case c : cases) {
            Tasks.submit(a, taskId, c.body(), null).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString(c.detail()));
        }
        Tasks.submit(a, taskId, Map.of("ranking", List.of(List.of("r1", "r2"), List.of("r3")), "ratings", ratings,
                "flags", Map.of("r3", List.of("hallucination")), "comment", "fine"), null).then().statusCode(201)
                .body("warnings", hasSize(0));
    }

    @Test
    void aRankingThatContradictsTheRatingsIsAcceptedWithAWarning() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String a = Api.newUser("ANNOTATOR");
        int taskId = Tasks.next(a, campaign).then().extract().path("taskId");
        Tasks.submit(a, taskId, Map.of("ranking", List.of(List.of("r1"), List.of("r2")), "ratings",
                Map.of("r1", 2, "r2", 6)), null).then().statusCode(201)
                .body("warnings[0]", equalTo("r1 is ranked above r2 but rated lower (2 < 6)"));
    }

    @Test
    void skipsAreRecordedAndCountTowardOverlapOnlyWhenTheCampaignSaysSo() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String a = Api.newUser("ANNOTATOR");
        String b = Api.newUser("ANNOTATOR");
        int taskId = Tasks.next(a, campaign).then().extract().path("taskId");
        Tasks.submit(a, taskId, Map.of("outcome", "UNRANKABLE", "reason", "all four are empty"), null).then()
                .statusCode(201).body("outcome", equalTo("UNRANKABLE"));
        Tasks.next(b, campaign).then().statusCode(200);

        long counting = Tasks.activeRankingCampaign(2, 1, 1);
        Api.asAdmin().contentType("application/json").body(Map.of("skipsCountTowardOverlap", true))
                .patch("/api/v1/campaigns/" + counting).then().statusCode(200);
        int other = Tasks.next(a, counting).then().extract().path("taskId");
        Tasks.submit(a, other, Map.of("outcome", "SKIPPED", "reason", "not my language"), null).then()
                .statusCode(201);
        Tasks.next(b, counting).then().statusCode(204);
    }

    private static void patchCampaign(long campaign, Map<String, Object> settings) {
        Api.asAdmin().contentType("application/json").body(settings).patch("/api/v1/campaigns/" + campaign).then()
                .statusCode(200);
    }

    private static String exported(long campaign, String format) {
        return Api.asAdmin().queryParam("format", format).get("/api/v1/campaigns/" + campaign + "/export").then()
                .statusCode(200).extract().asString();
    }

    @Test
    void optionalRatingsLetAPairwisePickStandAloneAndBothUnusableIsNoPreference() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 3);
        patchCampaign(campaign, Map.of("ratingsRequired", false));
        String a = Api.newUser("ANNOTATOR");
        int tie = Tasks.next(a, campaign).then().extract().path("taskId");
        Tasks.submit(a, tie, Map.of("ratings", Map.of("r1", 9)), null).then().statusCode(400)
                .body("detail", containsString("ranking: is required"))
                .body("detail", containsString("ratings: r1: must be between 1 and 7"));
        Tasks.submit(a, tie, Map.of("ranking", List.of(List.of("r1", "r2"))), null).then().statusCode(201);
        int partly = Tasks.next(a, campaign).then().extract().path("taskId");
        Tasks.submit(a, partly, Map.of("ranking", List.of(List.of("r2"), List.of("r1")), "ratings", Map.of("r2", 6)),
                null).then().statusCode(201);
        int unusable = Tasks.next(a, campaign).then().extract().path("taskId");
        Tasks.submit(a, unusable, Map.of("outcome", "UNRANKABLE", "reason", "Both responses are unusable"), null)
                .then().statusCode(201).body("outcome", equalTo("UNRANKABLE"));

        // A tie exports as one tier of both and gives no pair; "both unusable" is no ranking and gives no pair.
        String rankings = exported(campaign, "rankings");
        assertEquals(3, rankings.lines().count(), rankings);
        assertEquals(true, rankings.replace(" ", "").contains("\"tiers\":[[\"r1\",\"r2\"]]"), rankings);
        assertEquals(true, rankings.replace(" ", "").contains("\"ratings\":{\"r1\":null,\"r2\":6}"), rankings);
        String pairs = exported(campaign, "pairs");
        assertEquals(1, pairs.lines().count(), pairs);
        // A rating margin needs both ratings: the pair with an unrated response is left out of margin=ratings.
        assertEquals("", Api.asAdmin().queryParam("format", "pairs").queryParam("margin", "ratings")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract().asString());
        assertEquals(true, rankings.replace(" ", "").contains("\"outcome\":\"UNRANKABLE\",\"tiers\":null"), rankings);
        assertEquals(true, rankings.contains("Both responses are unusable"), rankings);
        String ranked = Api.asAdmin().queryParam("format", "rankings").queryParam("skips", false)
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract().asString();
        assertEquals(2, ranked.lines().count(), ranked);

        // With ratings required again (the default), the same partial rating is refused.
        patchCampaign(campaign, Map.of("ratingsRequired", true));
        long strict = Tasks.activeRankingCampaign(2, 1, 1);
        int task = Tasks.next(a, strict).then().extract().path("taskId");
        Tasks.submit(a, task, Map.of("ranking", List.of(List.of("r1", "r2"))), null).then().statusCode(400)
                .body("detail", containsString("ratings: rate every response from 1 to 7; missing r1, r2"));
    }

    @Test
    void aPlainSkipNeedsAReasonOnlyWhereTheCampaignSaysSoAndCannotRankAlways() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 3);
        String a = Api.newUser("ANNOTATOR");
        int first = Tasks.next(a, campaign).then().extract().path("taskId");
        Tasks.submit(a, first, Map.of("outcome", "UNRANKABLE", "reason", "  "), null).then().statusCode(400)
                .body("detail", containsString("reason: say why"));
        Tasks.submit(a, first, Map.of("outcome", "SKIPPED"), null).then().statusCode(201)
                .body("outcome", equalTo("SKIPPED"));

        patchCampaign(campaign, Map.of("skipReasonRequired", true));
        int second = Tasks.next(a, campaign).then().extract().path("taskId");
        Tasks.submit(a, second, Map.of("outcome", "SKIPPED"), null).then().statusCode(400)
                .body("detail", containsString("reason: say why"));
        Tasks.submit(a, second, Map.of("outcome", "SKIPPED", "reason", " \t "), null).then().statusCode(400)
                .body("detail", containsString("reason: say why"));
        Tasks.submit(a, second, Map.of("outcome", "SKIPPED", "reason", "Outside my expertise"), null).then()
                .statusCode(201);
        assertEquals(List.of("SKIPPED:null", "SKIPPED:Outside my expertise"), outcomes(campaign));
    }

    @Test
    void fieldsOfAnotherKindOfAnswerAreRefusedByNameNotDropped() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String a = Api.newUser("ANNOTATOR");
        int task = Tasks.next(a, campaign).then().extract().path("taskId");
        Tasks.submit(a, task, Map.of("outcome", "SKIPPED", "reason", "Too long", "ranking", List.of(List.of("r1"),
                List.of("r2")), "ratings", Map.of("r1", 5, "r2", 3)), null).then().statusCode(400)
                .body("detail", containsString("ranking: a skip sends outcome and reason only"))
                .body("detail", containsString("ratings: a skip sends outcome and reason only"));
        Tasks.submit(a, task, Map.of("ranking", List.of(List.of("r1"), List.of("r2")), "ratings", Map.of("r1", 5,
                "r2", 3), "demonstration", "Here is my own answer"), null).then().statusCode(400)
                .body("detail", containsString("demonstration: this is a ranking task"));
        Tasks.submit(a, task, Map.of("ranking", List.of(List.of("r1"), List.of("r2")), "ratings", Map.of("r1", 5,
                "r2", 3), "reason", "r2 is rude"), null).then().statusCode(400)
                .body("detail", containsString(
                        "reason: only a skip or an unrankable report has a reason; a note on the ranking goes in comment"));
        assertEquals(List.of(), outcomes(campaign), "nothing was stored");
        Tasks.submit(a, task, Map.of("ranking", List.of(List.of("r1"), List.of("r2")), "ratings", Map.of("r1", 5,
                "r2", 3), "comment", "r2 is rude"), null).then().statusCode(201);
    }

    @Transactional
    List<String> outcomes(long campaign) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Task.getEntityManager()
                .createNativeQuery("SELECT status, reason FROM tasks WHERE campaign_id = ?1"
                        + " AND status <> 'LEASED' ORDER BY id")
                .setParameter(1, campaign).getResultList();
        return rows.stream().map(r -> r[0] + ":" + r[1]).toList();
    }

    @Test
    void raisingOverlapReopensFinishedItems() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String a = Api.newUser("ANNOTATOR");
        String b = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(a, campaign);
        Tasks.submitShownOrder(a, task).then().statusCode(201);
        Tasks.next(b, campaign).then().statusCode(204);
        Api.asAdmin().contentType("application/json").body(Map.of("overlap", 2))
                .patch("/api/v1/campaigns/" + campaign).then().statusCode(200);
        Tasks.next(b, campaign).then().statusCode(200);
    }

    @Test
    void onlyActiveCampaignsHandOutTasks() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 2);
        String a = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(a, campaign);
        Api.setStatus(campaign, "PAUSED");
        Tasks.next(a, campaign).then().statusCode(404);
        Tasks.next(Api.adminToken(), campaign).then().statusCode(409).body("detail", containsString("PAUSED"));
        // work leased before the pause can still be handed in
        Tasks.submitShownOrder(a, task).then().statusCode(201);
    }

    @Test
    void demonstrationsRespectTheCampaignsLengthLimits() {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("demo"), "kind", "DEMONSTRATION",
                "demonstrationMinChars", 10, "demonstrationMaxChars", 50));
        Api.ndjson("{\"prompt\":\"Write a haiku\"}").post("/api/v1/campaigns/" + campaign + "/items").then()
                .statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        String a = Api.newUser("ANNOTATOR");
        Response task = Tasks.next(a, campaign);
        task.then().statusCode(200).body("item.responses", hasSize(0));
        int taskId = task.then().extract().path("taskId");
        Tasks.submit(a, taskId, Map.of("demonstration", "short"), null).then().statusCode(400)
                .body("detail", containsString("at least 10"));
        Tasks.submit(a, taskId, Map.of("demonstration", "y".repeat(51)), null).then().statusCode(400)
                .body("detail", containsString("at most 50"));
        Tasks.submit(a, taskId, Map.of("ranking", List.of()), null).then().statusCode(400)
                .body("detail", containsString("demonstration: is required"));
        int id = Tasks.submit(a, taskId, Map.of("demonstration", "Autumn moonlight, a worm digs", "activeSeconds",
                12), "d1").then().statusCode(201).extract().path("id");
        Tasks.submit(a, taskId, Map.of("demonstration", "changed"), "d1").then().statusCode(201)
                .body("id", equalTo(id));
    }
}
