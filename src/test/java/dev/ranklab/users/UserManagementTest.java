package dev.ranklab.users;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
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
