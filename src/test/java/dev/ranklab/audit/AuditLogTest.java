package dev.ranklab.audit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;

@QuarkusTest
class AuditLogTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void adminActionsAreRecordedWithWhoAndWhat() {
        long campaign = Api.newRankingCampaign(2);
        Api.setStatus(campaign, "ACTIVE");
        String annotator = Api.newUser("ANNOTATOR");
        long annotatorId = ((Number) Api.as(annotator).get("/api/v1/users/me").then().extract().path("id"))
                .longValue();
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("active", false))
                .patch("/api/v1/users/" + annotatorId).then().statusCode(200);
        String researcher = Api.newUser("RESEARCHER");
        Api.as(researcher).queryParam("format", "pairs").get("/api/v1/campaigns/" + campaign + "/export").then()
                .statusCode(200);

        List<Map<String, Object>> campaignEntries = Api.asAdmin().queryParam("action", "campaign.")
                .queryParam("limit", 1000).get("/api/v1/audit").then().statusCode(200).extract().path("");
        assertTrue(campaignEntries.stream().anyMatch(e -> e.get("action").equals("campaign.create")
                && e.get("target").equals("campaign:" + campaign) && e.get("actor").equals("admin")));
        assertTrue(campaignEntries.stream().anyMatch(e -> e.get("action").equals("campaign.status")
                && e.get("target").equals("campaign:" + campaign)
                && ((Map<?, ?>) e.get("details")).get("status").equals("ACTIVE")));
        List<Map<String, Object>> deactivations = Api.asAdmin().queryParam("action", "user.deactivate")
                .get("/api/v1/audit").then().statusCode(200).extract().path("");
        assertTrue(deactivations.stream().anyMatch(e -> e.get("target").equals("user:" + annotatorId)));
        List<Map<String, Object>> exports = Api.asAdmin().queryParam("action", "export.download")
                .queryParam("limit", 5).get("/api/v1/audit").then().statusCode(200).extract().path("");
        assertEquals("campaign:" + campaign, exports.get(0).get("target"));

        String all = Api.asAdmin().get("/api/v1/audit/export").then().statusCode(200).extract().asString();
        assertTrue(all.lines().anyMatch(line -> line.contains("\"campaign:" + campaign + "\"")));
        Api.as(researcher).get("/api/v1/audit").then().statusCode(403);
        Api.asAdmin().queryParam("limit", 0).get("/api/v1/audit").then().statusCode(400)
                .body("detail", containsString("limit"));

        // The page names what entries touch, each name asked of the feature that owns it, with a link.
        String campaignName = Api.asAdmin().get("/api/v1/campaigns/" + campaign).then().extract().path("name");
        String username = Api.as(researcher).get("/api/v1/users/me").then().extract().path("username");
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        RestAssured.given().cookie(Forms.SESSION_COOKIE, session).queryParam("action", "export.").get("/admin/audit")
                .then().statusCode(200)
                .body(containsString("<a href=\"/campaigns/" + campaign + "\">campaign " + campaignName + "</a>"))
                .body(containsString(">" + username + "<"));
        String deactivated = Api.asAdmin().get("/api/v1/users").then().extract()
                .path("find { it.id == " + annotatorId + " }.username");
        RestAssured.given().cookie(Forms.SESSION_COOKIE, session).queryParam("action", "user.")
                .get("/admin/audit").then().statusCode(200)
                .body(containsString("<a href=\"/admin/users/" + annotatorId + "\">user " + deactivated + "</a>"));
        // One action, as the API's filter takes it, filters the page too; one never recorded matches nothing.
        RestAssured.given().cookie(Forms.SESSION_COOKIE, session).queryParam("action", "user.deactivate")
                .get("/admin/audit").then().statusCode(200)
                .body(containsString("<option value=\"user.deactivate\" selected>"))
                .body(not(containsString("<code>export.")));
        RestAssured.given().cookie(Forms.SESSION_COOKIE, session).queryParam("action", "bogus")
                .get("/admin/audit").then().statusCode(200).body(containsString("Nothing recorded that matches"));
    }

    @Test
    void aCampaignPatchIsLoggedWithEverySettingItSentAndItsStatusChangeApart() {
        long campaign = Api.newRankingCampaign(2);
        String annotator = Api.newUser("ANNOTATOR");
        String username = Api.as(annotator).get("/api/v1/users/me").then().extract().path("username");
        Map<String, Object> settings = Map.of("maxTasksPerAnnotator", 7, "goldFirstTasks", 2, "goldPercent", 10,
                "assignedAnnotators", List.of(username), "assignedGroups", List.of("team-a"));
        Map<String, Object> patch = new HashMap<>(settings);
        patch.put("status", "ACTIVE");
        Api.asAdmin().contentType(ContentType.JSON).body(patch).patch("/api/v1/campaigns/" + campaign).then()
                .statusCode(200);
        // Who may work on it, alone: logged with what changed, not as an empty change.
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("assignedGroups", List.of("team-b")))
                .patch("/api/v1/campaigns/" + campaign).then().statusCode(200);

        List<Map<String, Object>> entries = Api.asAdmin().queryParam("action", "campaign.").queryParam("limit", 1000)
                .get("/api/v1/audit").then().statusCode(200).extract().path("");
        List<Map<String, Object>> mine = entries.stream().filter(e -> e.get("target").equals("campaign:" + campaign))
                .toList();
        // Newest first: the second PATCH, then the first one's settings and its status change.
        assertEquals(List.of("campaign.update", "campaign.update", "campaign.status", "campaign.create"),
                mine.stream().map(e -> e.get("action")).toList());
        assertEquals(Map.of("assignedGroups", List.of("team-b")), mine.get(0).get("details"));
        assertEquals(settings, mine.get(1).get("details"));
        assertEquals(Map.of("status", "ACTIVE"), mine.get(2).get("details"));
    }

    @Test
    void theDatabaseRefusesToRewriteHistory() throws SQLException {
        Api.newRankingCampaign(2);
        try (Connection connection = dataSource.getConnection()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> connection.createStatement().executeUpdate("UPDATE audit_log SET actor = 'nobody'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> connection.createStatement().executeUpdate("DELETE FROM audit_log"));
            assertThrows(SQLException.class, () -> connection.createStatement().executeUpdate("TRUNCATE audit_log"));
        }
    }
}
