package dev.ranklab.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/** Hostile and broken input gets a clear problem document naming what is wrong, and stores nothing. */
@QuarkusTest
class BadInputTest {

    private static int campaignCount() {
        return Api.asAdmin().get("/api/v1/campaigns").then().statusCode(200).extract().path("size()");
    }

    private static ValidatableResponse postCampaign(String contentType, byte[] body) {
        return Api.asAdmin().contentType(contentType).body(body).post("/api/v1/campaigns").then()
                .contentType("application/problem+json");
    }

    @Test
    void brokenCampaignBodiesAreRefusedAndNothingIsStored() {
        int before = campaignCount();
        byte[] huge = new byte[11 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        postCampaign("application/json", huge).statusCode(413).body("detail", containsString("at most 10485760"));
        postCampaign("application/json", "[".repeat(5000).getBytes()).statusCode(400);
        postCampaign("application/json", ("{\"name\":" + "[".repeat(3000) + "]".repeat(3000) + "}").getBytes())
                .statusCode(400).body("detail", containsString("name"));
        postCampaign("application/json", new byte[]{'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, 0x28,
                '"', '}'}).statusCode(400).body("detail", equalTo("the body is not valid UTF-8"));
        postCampaign("application/xml", "<campaign/>".getBytes()).statusCode(415);
        postCampaign("text/plain", "name=x".getBytes()).statusCode(415);
        postCampaign("application/json", "{\"name\":\"a\\u0000b\",\"kind\":\"RANKING\",\"responsesPerItem\":2}"
                .getBytes()).statusCode(400).body("detail", equalTo("field 'name' must not contain NUL characters"));
        postCampaign("application/json", "{\"name\":\"k\",\"kind\":\"RANKING\",\"responsesPerItem\":99999999999}"
                .getBytes()).statusCode(400).body("detail", equalTo("field 'responsesPerItem' is out of range"));
        postCampaign("application/json", "{\"name\":\"k\",\"kind\":\"RANKING\",\"responsesPerItem\":1000}"
                .getBytes()).statusCode(400)
                .body("detail", containsString("responsesPerItem: must be between 2 and 9"));
        postCampaign("application/json", "{\"name\":\"o\",\"kind\":\"RANKING\",\"responsesPerItem\":2,\"overlap\":-3}"
                .getBytes()).statusCode(400).body("detail", containsString("overlap"));
        postCampaign("application/json", "{\"name\":".getBytes()).statusCode(400)
                .body("detail", containsString("not valid JSON"));
        postCampaign("application/json", "{\"name\":\"u\",\"bogus\":1}".getBytes()).statusCode(400)
                .body("detail", equalTo("unknown field 'bogus'"));
        // One body, one value per key: nothing after it, no key twice.
        postCampaign("application/json", "{\"name\":\"t\",\"kind\":\"RANKING\",\"responsesPerItem\":2} xyz"
                .getBytes()).statusCode(400);
        postCampaign("application/json", ("{\"name\":\"t\",\"kind\":\"RANKING\",\"responsesPerItem\":2}"
                + "{\"name\":\"t2\"}").getBytes()).statusCode(400)
                .body("detail", equalTo("the body holds more than one JSON value; send one"));
        postCampaign("application/json", "{\"name\":\"x\",\"name\":\"y\",\"kind\":\"RANKING\",\"responsesPerItem\":2}"
                .getBytes()).statusCode(400).body("detail", equalTo("field 'name' is given twice"));
        assertEquals(before, campaignCount());
    }

    @Test
    void badParametersAreRequestErrorsNotMissingPages() {
        long campaign = Api.newRankingCampaign(2);
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items?limit=abc").then().statusCode(400)
                .body("detail", containsString("limit=abc"));
        Api.asAdmin().get("/api/v1/campaigns/99999999999999999999999").then().statusCode(400);
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items?limit=0").then().statusCode(400)
                .body("detail", containsString("limit"));
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items?status=nonsense").then().statusCode(400)
                .body("detail", containsString("status"));
        Api.asAdmin().accept("application/xml").get("/api/v1/campaigns").then().statusCode(406);
        Api.asAdmin().put("/api/v1/campaigns").then().statusCode(405);
    }

    @Test
    void aHostileSubmissionStoresNothing() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String annotator = Api.newUser("ANNOTATOR");
        int task = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        String deep = "{\"ranking\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        Api.as(annotator).contentType(ContentType.JSON).body(deep.getBytes())
                .post("/api/v1/tasks/" + task + "/submission").then().statusCode(400);
        Tasks.submit(annotator, task, Map.of("ranking", List.of(List.of("r1"), List.of("r2")), "ratings",
                Map.of("r1", 7, "r2", 1), "comment", "nul \u0000 here"), null).then().statusCode(400)
                .body("detail", containsString("comment"));
        Tasks.submit(annotator, task, Map.of("ranking", List.of(List.of("r1"), List.of("r2")), "ratings",
                Map.of("r1", 8, "r2", -1)), null).then().statusCode(400).body("detail", containsString("ratings"));
        byte[] huge = new byte[11 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        Api.as(annotator).contentType(ContentType.JSON).body(huge).post("/api/v1/tasks/" + task + "/submission")
                .then().statusCode(413);
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/export?format=rankings").then().statusCode(200)
                .body(equalTo(""));
        // The lease survived all of it: the real submission still goes through.
        Tasks.submit(annotator, task, Map.of("ranking", List.of(List.of("r1"), List.of("r2")), "ratings",
                Map.of("r1", 7, "r2", 1)), null).then().statusCode(201);
    }
}
