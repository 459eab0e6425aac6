package dev.ranklab.users;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
class UserManagementTest {

    private static long idOf(String token) {
        return ((Number) Api.as(token).get("/api/v1/users/me").then().statusCode(200).extract().path("id"))
                .longValue();
    }

    private static io.restassured.response.Response patch(long id, Object body) {
        return Api.asAdmin().contentType(ContentType.JSON).body(body).patch("/api/v1/users/" + id);
    }

    /** A fresh login, not the cached token of the test helpers. */
    private static io.restassured.response.Response login(String username, String password) {
        return RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/api/v1/auth/token");
    }

    private static String username(long id) {
        List<Map<String, Object>> users = Api.asAdmin().get("/api/v1/users").then().statusCode(200).extract()
                .path("");
        return (String) users.stream().filter(u -> ((Number) u.get("id")).longValue() == id).findFirst()
                .orElseThrow().get("username");
    }

    /** The row of the users page that links to this user, from its opening tag to its end. */
    private static String row(String html, String username) {
        int at = html.indexOf(">" + username + "</a>");
        assertTrue(at > 0, username + " is listed");
        return html.substring(html.lastIndexOf("<tr>", at), html.indexOf("</tr>", at));
    }

    @Test
    void theUserListSearchesByNameOrGroupAndShowsLastActivity() {
        String tag = Api.unique("find");
        for (String name : List.of(tag + "-active", tag + "-idle", "other-" + tag.replace("find", "zz"))) {
            Api.asAdmin().contentType(ContentType.JSON)
                    .body(Map.of("username", name, "password", Api.PASSWORD, "role", "ANNOTATOR"))
                    .post("/api/v1/users").then().statusCode(201);
        }
        login(tag + "-active", Api.PASSWORD).then().statusCode(200);
        Number grouped = Api.asAdmin().contentType(ContentType.JSON)
                .body(Map.of("username", Api.unique("member"), "password", Api.PASSWORD, "role", "RESEARCHER",
                        "groups", List.of(tag + "-team")))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);

        String found = RestAssured.given().cookie(Forms.SESSION_COOKIE, session).get("/admin/users?q=" + tag)
                .then().statusCode(200).extract().asString();
        assertTrue(row(found, tag + "-active").contains("<time datetime="), "logged in: a time");
        assertTrue(row(found, tag + "-idle").contains("never"), "never logged in");
        assertFalse(found.contains("other-"), "a name without the search text is not listed");
        assertTrue(found.contains(">" + username(grouped.longValue()) + "</a>"), "found by group");

        String upper = RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                .get("/admin/users?q=" + tag.toUpperCase(java.util.Locale.ROOT) + "-IDLE").then().statusCode(200)
                .extract().asString();
        assertTrue(upper.contains(">" + tag + "-idle</a>") && !upper.contains(">" + tag + "-active</a>"), upper);
        String none = RestAssured.given().cookie(Forms.SESSION_COOKIE, session).get("/admin/users?q=" + tag + "-x")
                .then().statusCode(200).extract().asString();
        assertTrue(none.contains("No user matches"), none);
    }

    @Test
    void aGroupNameWithASpaceOnTheUsersPageIsRefusedNotSplitInTwo() {
        Number id = Api.asAdmin().contentType(ContentType.JSON)
                .body(Map.of("username", Api.unique("grp"), "password", Api.PASSWORD, "role", "ANNOTATOR",
                        "groups", List.of("team-a")))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        String page = Forms.post(session, "/admin/users/" + id + "/groups", Map.of("groups", "Team A, ok-group"))
                .then().extract().asString();
        assertTrue(page.contains("group &#39;team a&#39; must be") || page.contains("group 'team a' must be"), page);
        String groups = "find { it.id == " + id + " }.groups";
        Api.asAdmin().get("/api/v1/users").then().statusCode(200).body(groups, equalTo(List.of("team-a")));
        Forms.post(session, "/admin/users/" + id + "/groups", Map.of("groups", "ok-group,\nteam-b"));
        Api.asAdmin().get("/api/v1/users").then().body(groups, equalTo(List.of("ok-group", "team-b")));
    }

    @Test
    void deactivatingEndsSessionsReleasesLeasesAndKeepsWork() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 2);
        String annotator = Api.newUser("ANNOTATOR");
        long id = idOf(annotator);
        Tasks.submitShownOrder(annotator, Tasks.next(annotator, campaign)).then().statusCode(201);
        Tasks.next(annotator, campaign).then().statusCode(200);

        patch(id, Map.of("active", false)).then().statusCode(200).body("active", equalTo(false));
        Api.as(annotator).get("/api/v1/users/me").then().statusCode(401);
        login(username(id), Api.PASSWORD).then().statusCode(401);
        // The leased item went back to the queue: someone else gets it now.
        String other = Api.newUser("ANNOTATOR");
        Tasks.next(other, campaign).then().statusCode(200);
        // The submitted ranking stays in the data.
        String researcher = Api.newUser("RESEARCHER");
        String pairs = Api.as(researcher).queryParam("format", "pairs").get("/api/v1/campaigns/" + campaign
                + "/export").then().statusCode(200).extract().asString();
        assertEquals(1, pairs.lines().count());

        patch(id, Map.of("active", true)).then().statusCode(200).body("active", equalTo(true));
        login(username(id), Api.PASSWORD).then().statusCode(200);
    }

    @Test
    void roleAndPasswordChangesEndSessions() {
        String user = Api.newUser("ANNOTATOR");
        long id = idOf(user);
        String name = username(id);
        patch(id, Map.of("role", "RESEARCHER")).then().statusCode(200).body("role", equalTo("RESEARCHER"));
        Api.as(user).get("/api/v1/users/me").then().statusCode(401);
        String researcher = login(name, Api.PASSWORD).then().statusCode(200).extract().path("token");
        Api.as(researcher).get("/api/v1/reward-models").then().statusCode(200);

        patch(id, Map.of("password", "a-brand-new-password")).then().statusCode(200);
        Api.as(researcher).get("/api/v1/users/me").then().statusCode(401);
        login(name, Api.PASSWORD).then().statusCode(401);
        String fresh = login(name, "a-brand-new-password").then().statusCode(200).extract().path("token");

        // Tokens: listed without secrets, revoked one by one.
        List<Map<String, Object>> tokens = Api.asAdmin().get("/api/v1/users/" + id + "/tokens").then()
                .statusCode(200).extract().path("");
        assertEquals(1, tokens.size());
        assertFalse(tokens.get(0).containsKey("token"));
        long tokenId = ((Number) tokens.get(0).get("id")).longValue();
        Api.asAdmin().delete("/api/v1/users/" + id + "/tokens/" + tokenId).then().statusCode(204);
        Api.as(fresh).get("/api/v1/users/me").then().statusCode(401);
        Api.asAdmin().delete("/api/v1/users/" + id + "/tokens/" + tokenId).then().statusCode(404);

        // The same from the user's admin page: it lists the live token, and its revoke button ends it.
        String again = login(name, "a-brand-new-password").then().statusCode(200).extract().path("token");
        long againId = ((Number) Api.asAdmin().get("/api/v1/users/" + id + "/tokens").then().statusCode(200)
                .extract().path("[0].id")).longValue();
        String admin = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        String revoke = "/admin/users/" + id + "/tokens/" + againId + "/revoke";
        RestAssured.given().cookie(Forms.SESSION_COOKIE, admin).get("/admin/users/" + id).then().statusCode(200)
                .body(containsString("action=\"" + revoke + "\""));
        Forms.post(admin, revoke, Map.of()).then().statusCode(303)
                .header("Location", endsWith("/admin/users/" + id));
        Api.as(again).get("/api/v1/users/me").then().statusCode(401);
        RestAssured.given().cookie(Forms.SESSION_COOKIE, admin).get("/admin/users/" + id).then().statusCode(200)
                .body(containsString("None live."));
    }

    @Test
    void theLastActiveAdminStaysAnAdmin() {
        long admin = idOf(Api.adminToken());
        List<Map<String, Object>> users = Api.asAdmin().get("/api/v1/users").then().statusCode(200).extract()
                .path("");
        List<Long> otherAdmins = users.stream()
                .filter(u -> "ADMIN".equals(u.get("role")) && Boolean.TRUE.equals(u.get("active"))
                        && ((Number) u.get("id")).longValue() != admin)
                .map(u -> ((Number) u.get("id")).longValue()).toList();
        otherAdmins.forEach(id -> patch(id, Map.of("active", false)).then().statusCode(200));
        try {
            patch(admin, Map.of("role", "RESEARCHER")).then().statusCode(409)
                    .body("detail", containsString("last active admin"));
            patch(admin, Map.of("active", false)).then().statusCode(409);
        } finally {
            otherAdmins.forEach(id -> patch(id, Map.of("active", true)).then().statusCode(200));
        }
    }

    @Test
    void badInputAndRolesAreRefusedClearly() {
        String annotator = Api.newUser("ANNOTATOR");
        long id = idOf(annotator);
        patch(id, Map.of("role", "OVERLORD")).then().statusCode(400).body("detail", containsString("role"));
        patch(id, Map.of("password", "short")).then().statusCode(400).body("detail", containsString("password"));
        Api.asAdmin().contentType(ContentType.JSON).body("{\"nickname\":\"x\"}").patch("/api/v1/users/" + id)
                .then().statusCode(400).body("detail", containsString("nickname"));
        patch(987654321L, Map.of("active", false)).then().statusCode(404);
        Api.as(annotator).contentType(ContentType.JSON).body(Map.of("active", false)).patch("/api/v1/users/" + id)
                .then().statusCode(403);
        Api.as(annotator).get("/api/v1/users/" + id + "/tokens").then().statusCode(403);
    }
}
