package dev.ranklab.quality;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;
import dev.ranklab.tasks.GoldSchedule;
import dev.ranklab.tasks.QueueService;

@QuarkusTest
class GoldTest {

    /** Three ordinary items and two gold ones (reference r1 > r2 > r3), overlap 1, gold first 2 tasks. */
    private static long campaignWithGold(int firstTasks, int percent) {
        long id = Api.newCampaign(Map.of("name", Api.unique("gold"), "kind", "RANKING", "responsesPerItem", 3,
                "overlap", 1, "goldFirstTasks", firstTasks, "goldPercent", percent));
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            file.append(Api.rankingLine("plain" + i, 3)).append('\n');
        }
        for (int i = 0; i < 2; i++) {
            String line = Api.rankingLine("gold" + i, 3);
            file.append(line, 0, line.length() - 1).append(",\"gold\":[[\"r1\"],[\"r2\"],[\"r3\"]]}\n");
        }
        Api.ndjson(file.toString()).post("/api/v1/campaigns/" + id + "/items").then().statusCode(200)
                .body("imported", equalTo(5));
        Api.setStatus(id, "ACTIVE");
        return id;
    }

    private static String externalIdOf(Response task) {
        return task.then().statusCode(200).extract().path("item.prompt[0].content");
    }

    @Test
    void theFirstTasksAreGoldForEveryAnnotatorWhateverTheOverlap() {
        long campaign = campaignWithGold(2, 0);
        for (int a = 0; a < 3; a++) {
            String annotator = Api.newUser("ANNOTATOR");
            List<String> seen = new ArrayList<>();
            Response task;
            while ((task = Tasks.next(annotator, campaign)).statusCode() == 200) {
                seen.add(externalIdOf(task));
                Tasks.submitShownOrder(annotator, task).then().statusCode(201);
            }
            // Overlap 1: the plain items go to the first annotator only; gold goes to everyone, first.
            assertTrue(seen.size() >= 2, seen.toString());
            assertTrue(seen.get(0).startsWith("question gold") && seen.get(1).startsWith("question gold"),
                    seen.toString());
            assertEquals(a == 0 ? 5 : 2, seen.size(), seen.toString());
        }
    }

    @Test
    void goldLooksLikeAnyTaskAndStaysOutOfExportsAndTheQueueCounts() {
        long campaign = campaignWithGold(1, 0);
        String annotator = Api.newUser("ANNOTATOR");
        Response gold = Tasks.next(annotator, campaign);
        // Nothing in the task tells the annotator it is gold.
        assertTrue(externalIdOf(gold).startsWith("question gold"));
        gold.then().body(not(containsString("gold\""))).body("item", not(org.hamcrest.Matchers.hasKey("gold")));
        Tasks.submitShownOrder(annotator, gold).then().statusCode(201);
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/export?format=rankings").then().statusCode(200)
                .body(equalTo(""));
        // Gold never completes, so it never holds up the campaign, and it is not in the review queue.
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items?status=COMPLETE").then().body("", hasSize(0));
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items?status=GOLD").then().body("", hasSize(2));
    }

    @Test
    void annotatorsAreMeasuredAgainstTheReference() {
        long campaign = campaignWithGold(2, 0);
        String good = Api.newUser("ANNOTATOR");
        String bad = Api.newUser("ANNOTATOR");
        for (int i = 0; i < 2; i++) {
            Tasks.rankThree(good, campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")));
            // Reversed: every one of the three pairs disagrees.
            Tasks.rankThree(bad, campaign, List.of(List.of("r3"), List.of("r2"), List.of("r1")));
        }
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/agreement/gold?realNames=true").then().statusCode(200)
                .body("goldItems", equalTo(2)).body("perAnnotator", hasSize(2))
                .body("perAnnotator.find { it.agreement == 1.0 }.goldTasks", equalTo(2))
                .body("perAnnotator.find { it.agreement == 1.0 }.kendallTauB", equalTo(1.0f))
                .body("perAnnotator.find { it.agreement == 1.0 }.flagged", equalTo(false))
                .body("perAnnotator.find { it.agreement == 0.0 }.kendallTauB", equalTo(-1.0f))
                .body("perAnnotator.find { it.agreement == 0.0 }.flagged", equalTo(true));
    }

    @Test
    void goldCanBeSetAndClearedByApiWithItsRankingChecked() {
        long campaign = Tasks.activeRankingCampaign(3, 1, 2);
        long item = ((Number) Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200)
                .extract().path("[0].id")).longValue();
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("ranking", List.of(List.of("r1", "r9"))))
                .put("/api/v1/items/" + item + "/gold").then().statusCode(400)
                .body("detail", containsString("ranking")).body("detail", containsString("r9"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("ranking", List.of(List.of("r1"), List.of("r2"))))
                .put("/api/v1/items/" + item + "/gold").then().statusCode(400)
                .body("detail", containsString("missing r3"));
        String goldAgreement = "/api/v1/campaigns/" + campaign + "/agreement/gold";
        Api.asAdmin().get(goldAgreement).then().statusCode(200).body("goldItems", equalTo(0));
        Api.asAdmin().contentType(ContentType.JSON)
                .body(Map.of("ranking", List.of(List.of("r2", "r3"), List.of("r1"))))
                .put("/api/v1/items/" + item + "/gold").then().statusCode(200)
                .body("goldRanking", equalTo(List.of(List.of("r2", "r3"), List.of("r1"))));
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items?status=GOLD").then().statusCode(200)
                .body("id", equalTo(List.of((int) item)));
        // Measured again, not served from before the change.
        Api.asAdmin().get(goldAgreement).then().statusCode(200).body("goldItems", equalTo(1));
        Api.asAdmin().delete("/api/v1/items/" + item + "/gold").then().statusCode(200)
                .body("goldRanking", equalTo(null));
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items?status=GOLD").then().statusCode(200)
                .body("", hasSize(0));
        Api.asAdmin().get(goldAgreement).then().statusCode(200).body("goldItems", equalTo(0));
        Api.as(Api.newUser("RESEARCHER")).contentType(ContentType.JSON)
                .body(Map.of("ranking", List.of(List.of("r1", "r2", "r3"))))
                .put("/api/v1/items/" + item + "/gold").then().statusCode(403);
    }

    @Test
    void importRejectsABadReferenceNamingTheLine() {
        long campaign = Api.newRankingCampaign(2);
        String line = Api.rankingLine("x", 2);
        String bad = line.substring(0, line.length() - 1) + ",\"gold\":[[\"r1\"]]}";
        Api.ndjson(Api.rankingLine("ok", 2) + "\n" + bad + "\n").post("/api/v1/campaigns/" + campaign + "/items")
                .then().statusCode(200).body("imported", equalTo(1))
                .body("rejected[0].line", equalTo(2))
                .body("rejected[0].error", containsString("gold: every response must be ranked; missing r2"));
    }

    @Inject
    EntityManager em;

    @Inject
    QueueService queue;

    @Test
    void anExpiredGoldLeaseCanBeLeasedAgainWhateverTheOverlap() {
        long campaign = campaignWithGold(2, 0);
        String first = Api.newUser("ANNOTATOR");
        String late = Api.newUser("ANNOTATOR");
        for (int i = 0; i < 2; i++) {
            Tasks.submitShownOrder(first, Tasks.next(first, campaign)).then().statusCode(201);
        }
        // Both gold items are now "finished" once, which fills an overlap of 1. The late annotator leases one (gold
        // knows no overlap), lets the lease expire, and the sweeper returns it: leasing it again must still work.
        int taskId = Tasks.next(late, campaign).then().statusCode(200).extract().path("taskId");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE tasks SET lease_expires_at = now() - interval '1 minute' WHERE id = ?1")
                .setParameter(1, taskId).executeUpdate());
        QuarkusTransaction.requiringNew().run(() -> queue.releaseExpiredLeases());
        Api.as(late).contentType(ContentType.JSON).post("/api/v1/tasks/" + taskId + "/lease")
                .then().statusCode(200);
        Tasks.submit(late, taskId, Tasks.rankingFor(List.of("r1", "r2", "r3")), null).then().statusCode(201);
    }

    @Test
    void theScheduleIsGoldFirstThenAboutThePercentAsked() {
        for (int n = 0; n < 3; n++) {
            assertTrue(GoldSchedule.nextIsGold(7, 11, n, 3, 0));
        }
        int gold = 0;
        for (int n = 3; n < 10_003; n++) {
            assertTrue(!GoldSchedule.nextIsGold(7, 11, n, 3, 0));
            assertTrue(GoldSchedule.nextIsGold(7, 11, n, 3, 100));
            gold += GoldSchedule.nextIsGold(7, 11, n, 3, 10) ? 1 : 0;
        }
        // Deterministic: the same inputs always give this count, within a point of 10%.
        assertTrue(gold > 900 && gold < 1100, "gold tasks: " + gold);
        // Not at fixed positions: the gaps between gold tasks vary.
        List<Integer> positions = new ArrayList<>();
        for (int n = 3; n < 400; n++) {
            if (GoldSchedule.nextIsGold(7, 11, n, 3, 10)) {
                positions.add(n);
            }
        }
        assertTrue(positions.size() > 5);
        assertTrue(positions.get(1) - positions.get(0) != positions.get(2) - positions.get(1)
                || positions.get(3) - positions.get(2) != positions.get(2) - positions.get(1));
    }

    @Test
    void demonstrationCampaignsCannotHaveAGoldSchedule() {
        Api.asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("demo"), "kind", "DEMONSTRATION", "goldFirstTasks", 2))
                .post("/api/v1/campaigns").then().statusCode(400).body("detail", containsString("goldFirstTasks"));
        Api.asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("r"), "kind", "RANKING", "responsesPerItem", 2, "goldPercent", 101))
                .post("/api/v1/campaigns").then().statusCode(400).body("detail", containsString("goldPercent"));
    }
}
