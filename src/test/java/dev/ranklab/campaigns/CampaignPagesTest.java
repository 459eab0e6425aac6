package dev.ranklab.campaigns;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;

/** The campaign forms through plain form posts, as a browser without JavaScript sends them. */
@QuarkusTest
class CampaignPagesTest {

    @Test
    void theFormCreatesEditsAndMovesACampaign() {
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        String name = Api.unique("Form demo");
        String location = Forms.post(session, "/campaigns", Map.of("name", name, "kind", "DEMONSTRATION",
                "overlap", "2", "leaseMinutes", "45", "guidelines", "# Write well", "flags", "toxic: Toxic\nrude",
                "skipsCountTowardOverlap", "true", "demonstrationMinChars", "20", "demonstrationMaxChars", "500"))
                .then().statusCode(303).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        Api.asAdmin().get("/api/v1/campaigns/" + id).then().statusCode(200)
                .body("name", equalTo(name))
                .body("overlap", equalTo(2))
                .body("leaseMinutes", equalTo(45))
                .body("skipsCountTowardOverlap", equalTo(true))
                .body("demonstrationMinChars", equalTo(20))
                .body("demonstrationMaxChars", equalTo(500))
                .body("flags[1].code", equalTo("rude"));

        Forms.post(session, "/campaigns/" + id, Map.of("name", name, "kind", "DEMONSTRATION", "overlap", "3",
                "leaseMinutes", "45", "guidelines", "", "flags", "", "demonstrationMinChars", "30",
                "demonstrationMaxChars", "10")).then().statusCode(400)
                .body(containsString("must not be below demonstrationMinChars"));
        Forms.post(session, "/campaigns/" + id, Map.of("name", name, "kind", "DEMONSTRATION", "overlap", "3",
                "leaseMinutes", "45", "guidelines", "", "flags", "", "demonstrationMinChars", "30",
                "demonstrationMaxChars", "100")).then().statusCode(303);
        Api.asAdmin().get("/api/v1/campaigns/" + id).then().body("overlap", equalTo(3))
                .body("skipsCountTowardOverlap", equalTo(false));

        Forms.post(session, "/campaigns/" + id + "/status", Map.of("status", "ACTIVE")).then().statusCode(303);
        Api.asAdmin().get("/api/v1/campaigns/" + id).then().body("status", equalTo("ACTIVE"));
        Forms.post(session, "/campaigns/" + id + "/status", Map.of("status", "DRAFT")).then().statusCode(303);
        Api.asAdmin().get("/api/v1/campaigns/" + id).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void theFormSetsOptionalRatingsAndSkipReasons() {
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        Map<String, String> fields = new java.util.HashMap<>(Map.of("name", Api.unique("pairwise form"), "kind",
                "RANKING", "responsesPerItem", "2", "overlap", "1", "leaseMinutes", "30", "guidelines", "", "flags",
                "", "ratingsOptional", "true", "skipReasons", "Not my field\r\n\r\nBroken prompt\n",
                "skipReasonRequired", "true"));
        String location = Forms.post(session, "/campaigns", fields).then().statusCode(303).extract()
                .header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        Api.asAdmin().get("/api/v1/campaigns/" + id).then().statusCode(200)
                .body("ratingsRequired", equalTo(false))
                .body("skipReasons", equalTo(java.util.List.of("Not my field", "Broken prompt")))
                .body("skipReasonRequired", equalTo(true));
        fields.put("skipReasons", "Same\nsame");
        fields.remove("ratingsOptional");
        Forms.post(session, "/campaigns/" + id, fields).then().statusCode(400)
                .body(containsString("id=\"skipReasons-error\""))
                .body(containsString("appears twice"))
                .body(containsString("Same\nsame</textarea>"));
        fields.put("skipReasons", "Only one");
        Forms.post(session, "/campaigns/" + id, fields).then().statusCode(303);
        Api.asAdmin().get("/api/v1/campaigns/" + id).then().body("ratingsRequired", equalTo(true))
                .body("skipReasons", equalTo(java.util.List.of("Only one")));
    }

    @Test
    void theCampaignPageListsItsRecentImportsAndTheirItems() {
        long campaign = Api.newRankingCampaign(2);
        Api.ndjson(Api.rankingLine("p1", 2) + "\n" + Api.rankingLine("p2", 2) + "\n")
                .post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        RestAssured.given().cookie(Forms.SESSION_COOKIE, session).get("/campaigns/" + campaign).then()
                .statusCode(200)
                .body(containsString("href=\"/campaigns/" + campaign + "/imports/"))
                .body(containsString("<td>api</td>"))
                .body(containsString("<td>completed</td>"))
                .body(matchesPattern("(?s).*<dt>Items</dt>\\s*<dd>2</dd>.*"));
    }

    @Test
    void invalidNumbersComeBackNextToTheirField() {
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        Forms.post(session, "/campaigns", Map.of("name", Api.unique("bad"), "kind", "RANKING",
                "responsesPerItem", "four", "overlap", "1", "leaseMinutes", "30", "guidelines", "", "flags", ""))
                .then().statusCode(400)
                .body(containsString("id=\"responsesPerItem-error\""))
                .body(containsString("must be a whole number"));
    }
}
