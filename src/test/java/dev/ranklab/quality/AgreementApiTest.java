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

    /** Two annotators, one item, K = 3: they agree on (r1,r2) and (r1,r3) and differ on (r2,r3). */
    @Test
    void measuresAgreementFromOverlapThroughTheApi() {
        long campaign = Tasks.activeRankingCampaign(3, 2, 1);
        String first = Api.newUser("ANNOTATOR");
        String second = Api.newUser("ANNOTATOR");
        Tasks.rankThree(first, campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")));
        Tasks.rankThree(second, campaign, List.of(List.of("r1"), List.of("r3"), List.of("r2")));
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

    /** Item 0: both annotators rank alike (agreement 1). Item 1: they differ on one pair of three (2/3). */
    @Test
    void exportsKeepOnlyItemsWithEnoughAgreement() {
        long campaign = Tasks.oneAgreedOneDisputedItem();
        String researcher = Api.newUser("RESEARCHER");
        assertEquals(12, pairs(researcher, campaign, null));
        assertEquals(6, pairs(researcher, campaign, "0.9"));
        assertEquals(12, pairs(researcher, campaign, "0.66"));
        assertEquals(6, pairs(researcher, campaign, "1.0"));
        Api.as(researcher).queryParam("format", "pairs").queryParam("minAgreement", "1.5")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("minAgreement"));
        long demonstrations = Api.newCampaign(Map.of("name", Api.unique("demo"), "kind", "DEMONSTRATION"));
        Api.as(researcher).queryParam("format", "sft").queryParam("minAgreement", "0.5")
                .get("/api/v1/campaigns/" + demonstrations + "/export").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("minAgreement"));
    }

    private static int pairs(String token, long campaign, String minAgreement) {
        var request = Api.as(token).queryParam("format", "pairs");
        if (minAgreement != null) {
            request = request.queryParam("minAgreement", minAgreement);
        }
        String body = request.get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract()
                .asString();
        return (int) body.lines().filter(line -> !line.isBlank()).count();
    }
}
