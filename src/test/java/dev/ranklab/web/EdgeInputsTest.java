package dev.ranklab.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/**
 * Requests at the edge of valid: no body, the wrong JSON type, a flag that is neither true nor false, a duplicate, a
 * change that changes nothing. Each is refused (or ignored) at once, with nothing stored and nothing audited.
 */
@QuarkusTest
class EdgeInputsTest {

    @Test
    void anImportWithoutBodyStoresNothing() {
        long campaign = Api.newRankingCampaign(2);
        Api.ndjson("").post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("no item"));
        Api.ndjson("\n  \n").post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(400);
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/imports").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void aDoomedTrainingIsRefusedAtRequestTime() {
        int before = versions();
        Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/reward-models/train").then().statusCode(400)
                .body("detail", containsString("JSON body is required"));
        long campaign = Api.newRankingCampaign(2);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("campaignId", campaign))
                .post("/api/v1/reward-models/train").then().statusCode(409)
                .body("detail", containsString("no ranking to learn from"));
        // One ranking of two responses is one comparison: fewer than a training needs (4 in tests).
        long few = Tasks.activeRankingCampaign(2, 1, 1);
        String annotator = Api.newUser("ANNOTATOR");
        Tasks.submitShownOrder(annotator, Tasks.next(annotator, few)).then().statusCode(201);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("campaignId", few))
                .post("/api/v1/reward-models/train").then().statusCode(409)
                .body("detail", containsString("has 1 comparison to learn from; a training needs at least 4"));
        assertEquals(before, versions());
    }

    private static int versions() {
        return Api.asAdmin().get("/api/v1/reward-models").then().statusCode(200).extract().path("size()");
    }

    @Test
    void flagsAreTrueOrFalseEverywhere() {
        long campaign = Api.newRankingCampaign(2);
        for (String path : List.of("/dashboard", "/agreement", "/export?format=rankings")) {
            String url = "/api/v1/campaigns/" + campaign + path;
            for (String bad : List.of("maybe", "1", "yes")) {
                Api.asAdmin().queryParam("realNames", bad).get(url).then().statusCode(400)
                        .contentType(Problem.MEDIA_TYPE);
            }
            Api.asAdmin().queryParam("realNames", "false").get(url).then().statusCode(200);
        }
        Api.asAdmin().queryParam("includeReviewed", "sure").get("/api/v1/campaigns/" + campaign + "/review").then()
                .statusCode(400);
    }

    @Test
    void jsonScalarsKeepTheirTypes() {
        for (String body : List.of("{\"name\": false, \"kind\": \"RANKING\", \"responsesPerItem\": 2}",
                "{\"name\": 12, \"kind\": \"RANKING\", \"responsesPerItem\": 2}",
                "{\"name\": \"" + Api.unique("typed") + "\", \"kind\": \"RANKING\", \"responsesPerItem\": \"2\"}",
                "{\"name\": \"" + Api.unique("typed") + "\", \"kind\": \"RANKING\", \"responsesPerItem\": 2.7}",
                "{\"name\": \"" + Api.unique("typed") + "\", \"kind\": 0, \"responsesPerItem\": 2}")) {
            Api.asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/campaigns").then().statusCode(400)
                    .body("detail", containsString("field"));
        }
        // 2.0 is a whole number to JSON Schema, and so to the API document: it is read as 2.
        Api.asAdmin().contentType(ContentType.JSON).body("{\"name\": \"" + Api.unique("whole") + "\", \"kind\": "
                + "\"RANKING\", \"responsesPerItem\": 2.0}").post("/api/v1/campaigns").then().statusCode(201)
                .body("responsesPerItem", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void aDuplicateNameIs409OnCreateAndOnRename() {
        String name = Api.unique("taken");
        Api.newCampaign(Map.of("name", name, "kind", "RANKING", "responsesPerItem", 2));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", name, "kind", "RANKING",
                "responsesPerItem", 2)).post("/api/v1/campaigns").then().statusCode(409);
        long other = Api.newRankingCampaign(2);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", name)).patch("/api/v1/campaigns/" + other)
                .then().statusCode(409).contentType(Problem.MEDIA_TYPE).body("detail", containsString(name));
    }

    @Test
    void aChangeThatChangesNothingIsNotAudited() {
        String name = Api.unique("steady");
        long campaign = Api.newCampaign(Map.of("name", name, "kind", "RANKING", "responsesPerItem", 2));
        int before = audited("campaign:" + campaign);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", name, "overlap", 1))
                .patch("/api/v1/campaigns/" + campaign).then().statusCode(200);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of()).patch("/api/v1/campaigns/" + campaign).then()
                .statusCode(200);
        assertEquals(before, audited("campaign:" + campaign));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("overlap", 2))
                .patch("/api/v1/campaigns/" + campaign).then().statusCode(200);
        assertEquals(before + 1, audited("campaign:" + campaign));

        Api.ndjson(Api.rankingLine("only", 2)).post("/api/v1/campaigns/" + campaign + "/items").then()
                .statusCode(200);
        long item = ((Number) Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200)
                .extract().path("[0].id")).longValue();
        for (int i = 0; i < 3; i++) {
            Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/review/items/" + item + "/reviewed").then()
                    .statusCode(204);
        }
        assertEquals(1, audited("item:" + item));
        Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/review/items/987654321/reviewed").then()
                .statusCode(404);
    }

    private static int audited(String target) {
        List<String> targets = Api.asAdmin().queryParam("limit", 1000).get("/api/v1/audit").then().statusCode(200)
                .extract().path("target");
        return (int) targets.stream().filter(target::equals).count();
    }

    @Test
    void deliveriesOfAnUnknownWebhookAre404() {
        Api.asAdmin().get("/api/v1/webhooks/987654321/deliveries").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }
}
