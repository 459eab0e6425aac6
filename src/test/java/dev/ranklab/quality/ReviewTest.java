package dev.ranklab.quality;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;
import dev.ranklab.support.Tasks;

@QuarkusTest
class ReviewTest {

    private static int pairs(String token, long campaign, boolean includeRejected) {
        return (int) Api.as(token).queryParam("format", "pairs").queryParam("includeRejected", includeRejected)
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract().asString()
                .lines().count();
    }

    /** The item browser's rows, in the order the page lists them: agreement and consensus cells of each. */
    private static List<String> rows(String session, long campaign, String sort) {
        String html = RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                .get("/campaigns/" + campaign + "/items?sort=" + sort).then().statusCode(200).extract().asString();
        String body = html.substring(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
        return java.util.Arrays.stream(body.split("<tr>")).skip(1)
                .map(row -> row.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip()).toList();
    }

    @Test
    void theItemBrowserShowsAgreementAndConsensusAndSortsByAgreement() {
        long campaign = Tasks.oneAgreedOneDisputedItem();
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        List<String> lowestFirst = rows(session, campaign, "agreement");
        assertEquals(2, lowestFirst.size(), lowestFirst.toString());
        assertTrue(lowestFirst.get(0).contains("67%") && lowestFirst.get(1).contains("100%"), lowestFirst.toString());
        assertTrue(lowestFirst.get(1).endsWith("r1 &gt; r2 &gt; r3"), "the agreed item's consensus: " + lowestFirst);
        List<String> highestFirst = rows(session, campaign, "-agreement");
        assertEquals(List.of(lowestFirst.get(1), lowestFirst.get(0)), highestFirst);
        // Only the listed orders reach the query.
        RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                .get("/campaigns/" + campaign + "/items?sort=agreement;DROP TABLE items").then().statusCode(400)
                .body(containsString("sort"));
    }

    @Test
    void rejectedWorkLeavesExportsAndAgreementUntilRestored() {
        long campaign = Tasks.oneAgreedOneDisputedItem();
        String researcher = Api.newUser("RESEARCHER");
        assertEquals(12, pairs(researcher, campaign, false));
        String agreement = "/api/v1/campaigns/" + campaign + "/agreement";
        Api.as(researcher).get(agreement).then().statusCode(200).body("items", equalTo(2));

        // Only the item the two disagree on (2/3) is below 0.8.
        List<Map<String, Object>> queue = Api.asAdmin().queryParam("threshold", 0.8)
                .get("/api/v1/campaigns/" + campaign + "/review").then().statusCode(200).extract().path("");
        assertEquals(1, queue.size());
        long item = ((Number) queue.get(0).get("itemId")).longValue();
        assertEquals(2.0 / 3, ((Number) queue.get(0).get("agreement")).doubleValue(), 1e-6);

        List<Map<String, Object>> work = Api.asAdmin().get("/api/v1/review/items/" + item).then().statusCode(200)
                .extract().path("work");
        assertEquals(2, work.size());
        long ranking = ((Number) work.get(1).get("rankingId")).longValue();

        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("reason", " "))
                .post("/api/v1/review/rankings/" + ranking + "/rejection").then().statusCode(400)
                .body("detail", containsString("reason"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "ranked at random"))
                .post("/api/v1/review/rankings/" + ranking + "/rejection").then().statusCode(204);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("reason", "again"))
                .post("/api/v1/review/rankings/" + ranking + "/rejection").then().statusCode(409);
        assertEquals(9, pairs(researcher, campaign, false));
        assertEquals(12, pairs(researcher, campaign, true));
        // The item's stored agreement follows: one accepted ranking left, nothing to compare, listed for its rejection.
        Api.asAdmin().queryParam("threshold", 0.8).get("/api/v1/campaigns/" + campaign + "/review").then()
                .statusCode(200).body("itemId", hasItem((int) item)).body("find { it.itemId == " + item
                        + " }.agreement", nullValue())
                .body("find { it.itemId == " + item + " }.rejected", equalTo(1));
        Api.as(researcher).get("/api/v1/campaigns/" + campaign + "/agreement").then().statusCode(200)
                .body("items", equalTo(1));
        Api.asAdmin().get("/api/v1/review/items/" + item).then().statusCode(200)
                .body("work[1].rejected", equalTo(true)).body("work[1].rejectionReason", equalTo("ranked at random"));

        Api.asAdmin().delete("/api/v1/review/rankings/" + ranking + "/rejection").then().statusCode(204);
        Api.asAdmin().delete("/api/v1/review/rankings/" + ranking + "/rejection").then().statusCode(409);
        assertEquals(12, pairs(researcher, campaign, false));
        // Measured again after each change, never served from before it.
        Api.as(researcher).get(agreement).then().statusCode(200).body("items", equalTo(2));
        Number restored = Api.asAdmin().queryParam("threshold", 0.8).get("/api/v1/campaigns/" + campaign + "/review")
                .then().statusCode(200).extract().path("find { it.itemId == " + item + " }.agreement");
        assertEquals(2.0 / 3, restored.doubleValue(), 1e-6);

        Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/review/items/" + item + "/reviewed").then()
                .statusCode(204);
        List<Object> after = Api.asAdmin().queryParam("threshold", 0.8)
                .get("/api/v1/campaigns/" + campaign + "/review").then().statusCode(200).extract().path("");
        assertTrue(after.isEmpty());
        List<Object> all = Api.asAdmin().queryParam("threshold", 0.8).queryParam("includeReviewed", true)
                .get("/api/v1/campaigns/" + campaign + "/review").then().statusCode(200).extract().path("");
        assertEquals(1, all.size());

        Api.as(researcher).get("/api/v1/campaigns/" + campaign + "/review").then().statusCode(403);
        Api.asAdmin().delete("/api/v1/review/rankings/987654321/rejection").then().statusCode(404);
        Api.asAdmin().queryParam("threshold", 2).get("/api/v1/campaigns/" + campaign + "/review").then()
                .statusCode(400);
    }
}
