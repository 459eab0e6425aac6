package dev.ranklab.quality;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

@QuarkusTest
class AgreementApiTest {

    private static void rank(String annotator, long campaign, List<List<String>> ranking) {
        int taskId = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        Tasks.submit(annotator, taskId, Map.of("ranking", ranking, "ratings", Map.of("r1", 4, "r2", 4, "r3", 4)),
                null).then().statusCode(201);
    }

    /** Two annotators, one item, K = 3: they agree on (r1,r2) and (r1,r3) and differ on (r2,r3). */
    @Test
    void measuresAgreementFromOverlapThroughTheApi() {
        long campaign = Tasks.activeRankingCampaign(3, 2, 1);
        String first = Api.newUser("ANNOTATOR");
        String second = Api.newUser("ANNOTATOR");
        rank(first, campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")));
        rank(second, campaign, List.of(List.of("r1"), List.of("r3"), List.of("r2")));
        String researcher = Api.newUser("RESEARCHER");
        var agreement = Api.as(researcher).get("/api/v1/campaigns/" + campaign + "/agreement").then()
                .statusCode(200)
                .body("items", equalTo(1))
                .body("comparisons", equalTo(3))
                .body("perAnnotator", hasSize(2))
                .body("perAnnotator[0].annotator", startsWith("annotator-"))
                .extract().jsonPath();
        assertEquals(2.0 / 3, agreement.getDouble("pairwiseAgreement"), 1e-6);
        assertEquals(1.0 / 3, agreement.getDouble("kendallTauB"), 1e-6);
        Api.as(researcher).queryParam("realNames", "true").get("/api/v1/campaigns/" + campaign + "/agreement")
                .then().statusCode(403);
        Api.asAdmin().queryParam("realNames", "true").get("/api/v1/campaigns/" + campaign + "/agreement").then()
                .statusCode(200);
        Api.as(first).get("/api/v1/campaigns/" + campaign + "/agreement").then().statusCode(403);
        Api.as(researcher).get("/api/v1/campaigns/987654/agreement").then().statusCode(404);
    }
}
