package dev.ranklab.campaigns;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.ranklab.support.Api;

@QuarkusTest
class CampaignApiTest {

    private static ValidatableResponse create(Map<String, Object> body) {
        return Api.asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/campaigns").then();
    }

    private static ValidatableResponse patch(long id, Map<String, Object> body) {
        return Api.asAdmin().contentType(ContentType.JSON).body(body).patch("/api/v1/campaigns/" + id).then();
    }

    @Test
    void createsARankingCampaignWithInstructGptDefaults() {
        String name = Api.unique("defaults");
        create(Map.of("name", name, "kind", "RANKING", "responsesPerItem", 4))
                .statusCode(201)
                .body("name", equalTo(name))
                .body("status", equalTo("DRAFT"))
                .body("responsesPerItem", equalTo(4))
                .body("overlap", equalTo(1))
                .body("leaseMinutes", equalTo(30))
                .body("guidelines", equalTo(""))
                .body("items", equalTo(0))
                .body("flags", hasSize(10))
                .body("flags.code", hasItem("hallucination"))
                .body("flags.label", hasItem("Fails to follow the instruction"));
    }

    @Test
    void ratingsAndSkipReasonsAreSettingsWithDefaultsAndValidation() {
        long id = ((Number) create(Map.of("name", Api.unique("pairwise"), "kind", "RANKING", "responsesPerItem", 2))
                .statusCode(201)
                .body("ratingsRequired", equalTo(true))
                .body("skipReasonRequired", equalTo(false))
                .body("skipReasons", hasItem("Outside my expertise"))
                .extract().path("id")).longValue();
        patch(id, Map.of("ratingsRequired", false, "skipReasons", List.of(" Not my language ", "Broken item"),
                "skipReasonRequired", true)).statusCode(200)
                .body("ratingsRequired", equalTo(false))
                .body("skipReasons", equalTo(List.of("Not my language", "Broken item")))
                .body("skipReasonRequired", equalTo(true));
        Api.asAdmin().get("/api/v1/campaigns/" + id).then().statusCode(200).body("ratingsRequired", equalTo(false))
                .body("skipReasons", hasSize(2));
        patch(id, Map.of("skipReasons", List.of("a", "A", " ", "x".repeat(201)))).statusCode(400)
                .body("detail", containsString("skipReasons: reason 2 ('A') appears twice"));
        patch(id, Map.of("skipReasons", List.of(" "))).statusCode(400)
                .body("detail", containsString("skipReasons: reason 1 is empty"));
        patch(id, Map.of("skipReasons", List.of("x".repeat(201)))).statusCode(400)
                .body("detail", containsString("skipReasons: reason 1 must be at most 200 characters"));
        patch(id, Map.of("skipReasons", List.of("two\nlines"))).statusCode(400)
                .body("detail", containsString("skipReasons: reason 1 must be one line"));
        patch(id, Map.of("skipReasons", java.util.Collections.nCopies(21, "r"))).statusCode(400)
                .body("detail", containsString("skipReasons: at most 20 reasons"));
        patch(id, Map.of("ratingsRequired", "no")).statusCode(400)
                .body("detail", containsString("ratingsRequired"));
        Api.asAdmin().get("/api/v1/campaigns/" + id).then().body("skipReasons", equalTo(List.of("Not my language",
                "Broken item")));
        create(Map.of("name", Api.unique("none"), "kind", "DEMONSTRATION", "skipReasons", List.of())).statusCode(201)
                .body("skipReasons", hasSize(0));
    }

    @Test
    void createsADemonstrationCampaignWithoutK() {
        create(Map.of("name", Api.unique("demo"), "kind", "DEMONSTRATION", "overlap", 3, "guidelines", "Be kind"))
                .statusCode(201).body("kind", equalTo("DEMONSTRATION")).body("responsesPerItem", nullValue())
                .body("overlap", equalTo(3));
    }

    @Test
    void customFlagsReplaceTheDefaults() {
        create(Map.of("name", Api.unique("flags"), "kind", "RANKING", "responsesPerItem", 2, "flags",
                List.of(Map.of("code", "toxic", "label", "Toxic"), Map.of("code", "off_topic"))))
                .statusCode(201)
                .body("flags", hasSize(2))
                .body("flags[1].label", equalTo("off_topic"));
    }

    @Test
    void everyInvalidFieldIsNamed() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", " ");
        body.put("kind", "RANKING");
        body.put("responsesPerItem", 12);
        body.put("overlap", 0);
        body.put("leaseMinutes", 0);
        create(body).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("name: is required"))
                .body("detail", containsString("responsesPerItem: must be between 2 and 9"))
                .body("detail", containsString("overlap: must be between 1 and 10"))
                .body("detail", containsString("leaseMinutes: must be between 1 and 1440"));
        create(Map.of("name", Api.unique("k"), "kind", "RANKING")).statusCode(400)
                .body("detail", containsString("responsesPerItem: is required"));
        create(Map.of("name", Api.unique("k"), "kind", "DEMONSTRATION", "responsesPerItem", 3)).statusCode(400)
                .body("detail", containsString("responsesPerItem: applies only to RANKING"));
        create(Map.of("name", Api.unique("k"), "kind", "VIDEO")).statusCode(400)
                .body("detail", containsString("kind: must be RANKING or DEMONSTRATION"));
        create(Map.of("name", Api.unique("k"), "kind", "RANKING", "responsesPerItem", 1)).statusCode(400);
        create(Map.of("name", Api.unique("k"), "kind", "RANKING", "responsesPerItem", 2, "overlap", 11))
                .statusCode(400);
        create(Map.of("name", Api.unique("k"), "kind", "RANKING", "responsesPerItem", 2, "overlap", -1))
                .statusCode(400);
        create(Map.of("name", "x".repeat(201), "kind", "DEMONSTRATION")).statusCode(400)
                .body("detail", containsString("name: must be at most 200"));
        create(Map.of("name", Api.unique("k"), "kind", "DEMONSTRATION", "flags",
                List.of(Map.of("code", "Bad Code")))).statusCode(400)
                .body("detail", containsString("flags: flag 1: code 'Bad Code'"));
        create(Map.of("name", Api.unique("k"), "kind", "DEMONSTRATION", "flags",
                List.of(Map.of("code", "a"), Map.of("code", "a")))).statusCode(400)
                .body("detail", containsString("appears twice"));
        create(Map.of("name", Api.unique("k"), "kind", "DEMONSTRATION", "status", "ACTIVE")).statusCode(400)
                .body("detail", containsString("status"));
    }

    @Test
    void wrongJsonTypesAndUnknownFieldsAreNamed() {
        create(Map.of("name", Api.unique("t"), "kind", "RANKING", "responsesPerItem", "four")).statusCode(400)
                .body("detail", containsString("responsesPerItem"));
        create(Map.of("name", Api.unique("t"), "kind", "RANKING", "responsesPerItm", 4)).statusCode(400)
                .body("detail", equalTo("unknown field 'responsesPerItm'"));
        Api.asAdmin().contentType(ContentType.JSON).body("{\"name\":").post("/api/v1/campaigns").then()
                .statusCode(400).body("detail", containsString("not valid JSON"));
        Api.asAdmin().contentType(ContentType.JSON).body("[1,2]").post("/api/v1/campaigns").then()
                .statusCode(400).body("detail", containsString("JSON object"));
    }

    @Test
    void namesAreUniqueIgnoringCase() {
        String name = Api.unique("Unique");
        create(Map.of("name", name, "kind", "DEMONSTRATION")).statusCode(201);
        create(Map.of("name", name.toUpperCase(), "kind", "DEMONSTRATION")).statusCode(409)
                .body("detail", containsString("already exists"));
    }

    @Test
    void lifecycleFollowsDraftActivePausedArchived() {
        long id = Api.newRankingCampaign(2);
        patch(id, Map.of("status", "PAUSED")).statusCode(400)
                .body("detail", containsString("cannot go from DRAFT to PAUSED"));
        patch(id, Map.of("status", "ACTIVE")).statusCode(200).body("status", equalTo("ACTIVE"));
        patch(id, Map.of("status", "DRAFT")).statusCode(400)
                .body("detail", containsString("cannot go from ACTIVE to DRAFT"));
        patch(id, Map.of("status", "PAUSED")).statusCode(200).body("status", equalTo("PAUSED"));
        patch(id, Map.of("status", "ACTIVE")).statusCode(200).body("status", equalTo("ACTIVE"));
        patch(id, Map.of("status", "PAUSED")).statusCode(200);
        patch(id, Map.of("status", "ARCHIVED")).statusCode(200).body("status", equalTo("ARCHIVED"));
        patch(id, Map.of("status", "ACTIVE")).statusCode(409).body("detail", containsString("archived"));
        patch(id, Map.of("overlap", 2)).statusCode(409);
        patch(id, Map.of("status", "DONE")).statusCode(409);
    }

    @Test
    void unknownStatusIsNamed() {
        long id = Api.newRankingCampaign(2);
        patch(id, Map.of("status", "DONE")).statusCode(400)
                .body("detail", containsString("status: must be one of DRAFT, ACTIVE, PAUSED, ARCHIVED"));
    }

    @Test
    void settingsChangeButKIsFixedOnceItemsExist() {
        long id = Api.newRankingCampaign(3);
        patch(id, Map.of("responsesPerItem", 4, "overlap", 3, "guidelines", "# New", "leaseMinutes", 45))
                .statusCode(200).body("responsesPerItem", equalTo(4)).body("overlap", equalTo(3))
                .body("leaseMinutes", equalTo(45)).body("guidelines", equalTo("# New"));
        Api.ndjson(Api.rankingLine("q1", 4)).post("/api/v1/campaigns/" + id + "/items").then().statusCode(200)
                .body("imported", equalTo(1));
        patch(id, Map.of("responsesPerItem", 5)).statusCode(400)
                .body("detail", containsString("cannot change K"));
        patch(id, Map.of("kind", "DEMONSTRATION")).statusCode(400)
                .body("detail", containsString("cannot change the kind"));
        patch(id, Map.of("responsesPerItem", 4, "overlap", 2)).statusCode(200).body("overlap", equalTo(2));
    }

    @Test
    void annotatorsSeeOnlyActiveCampaigns() {
        String annotator = Api.newUser("ANNOTATOR");
        String researcher = Api.newUser("RESEARCHER");
        long draft = Api.newRankingCampaign(2);
        long active = Api.newRankingCampaign(2);
        Api.setStatus(active, "ACTIVE");
        Api.as(annotator).get("/api/v1/campaigns").then().statusCode(200)
                .body("id", hasItem((int) active)).body("id", not(hasItem((int) draft)))
                .body("status", not(hasItem("DRAFT")));
        Api.as(annotator).get("/api/v1/campaigns/" + draft).then().statusCode(404);
        Api.as(annotator).get("/api/v1/campaigns/" + active).then().statusCode(200);
        Api.as(researcher).get("/api/v1/campaigns").then().statusCode(200).body("id", hasItem((int) draft));
        Api.setStatus(active, "PAUSED");
        Api.as(annotator).get("/api/v1/campaigns/" + active).then().statusCode(404);
    }

    @Test
    void unknownCampaignIs404() {
        Api.asAdmin().get("/api/v1/campaigns/987654321").then().statusCode(404)
                .body("detail", containsString("987654321"));
        patch(987654321L, Map.of("overlap", 2)).statusCode(404);
    }
}
