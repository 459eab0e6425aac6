package dev.ranklab.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;

/** Every route with no credentials (401), each role, and the expected status for each. */
@QuarkusTest
class RoleMatrixTest {

    static String annotator;
    static String researcher;
    static long campaign;

    record Route(String method, String path, String contentType, String body, int anonymous, int annotator,
            int researcher) {
    }

    // Not @BeforeAll: RestAssured points at the test port only once a test method runs.
    @BeforeEach
    void users() {
        if (annotator != null) {
            return;
        }
        annotator = Api.newUser("ANNOTATOR");
        researcher = Api.newUser("RESEARCHER");
        campaign = Api.newRankingCampaign(2);
        Api.setStatus(campaign, "ACTIVE");
    }

    List<Route> routes() {
        String json = ContentType.JSON.toString();
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("GET", "/api/v1/users", null, null, 401, 403, 403));
        routes.add(new Route("POST", "/api/v1/users", json,
                "{\"username\":\"" + Api.unique("x") + "\",\"password\":\"short\",\"role\":\"ANNOTATOR\"}", 401, 403,
                403));
        routes.add(new Route("GET", "/api/v1/users/me", null, null, 401, 200, 200));
        routes.add(new Route("GET", "/api/v1/campaigns", null, null, 401, 200, 200));
        routes.add(new Route("GET", "/api/v1/campaigns/" + campaign, null, null, 401, 200, 200));
        routes.add(new Route("POST", "/api/v1/campaigns", json, "{\"name\":\"" + Api.unique("c")
                + "\",\"kind\":\"DEMONSTRATION\"}", 401, 403, 403));
        routes.add(new Route("PATCH", "/api/v1/campaigns/" + campaign, json, "{\"overlap\":1}", 401, 403, 403));
        routes.add(new Route("POST", "/api/v1/campaigns/" + campaign + "/items", "application/x-ndjson", "\n", 401,
                403, 403));
        routes.add(new Route("GET", "/api/v1/campaigns/" + campaign + "/items", null, null, 401, 403, 200));
        routes.add(new Route("GET", "/api/v1/campaigns/" + campaign + "/imports", null, null, 401, 403, 403));
        routes.add(new Route("DELETE", "/api/v1/auth/token", null, null, 401, -1, -1));
        return routes;
    }

    @Test
    void everyApiRouteAnswersEachRoleAsExpected() {
        List<String> wrong = new ArrayList<>();
        for (Route route : routes()) {
            check(wrong, route, "anonymous", given(), route.anonymous());
            check(wrong, route, "annotator", Api.as(annotator), route.annotator());
            check(wrong, route, "researcher", Api.as(researcher), route.researcher());
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void forbiddenAnswersAreProblemDocuments() {
        Api.as(annotator).get("/api/v1/users").then().statusCode(403)
                .contentType("application/problem+json").body("status", org.hamcrest.Matchers.equalTo(403));
    }

    @Test
    void pagesSendAnonymousVisitorsToLogin() {
        for (String page : new String[]{"/campaigns", "/campaigns/new", "/admin/users",
                "/campaigns/" + campaign}) {
            given().redirects().follow(false).get(page).then().statusCode(303)
                    .header("Location", containsString("/login?next="));
        }
    }

    @Test
    void pagesForbidWrongRoles() {
        String session = Forms.login(annotatorName(), Api.PASSWORD);
        for (String page : new String[]{"/campaigns/new", "/admin/users", "/campaigns/" + campaign + "/edit"}) {
            given().cookie("ranklab_session", session).redirects().follow(false).get(page).then().statusCode(403)
                    .body(containsString("Forbidden"));
        }
        given().cookie("ranklab_session", session).get("/campaigns").then().statusCode(200);
    }

    private String annotatorName() {
        return Api.as(annotator).get("/api/v1/users/me").then().extract().path("username");
    }

    private static void check(List<String> wrong, Route route, String who, RequestSpecification request,
            int expected) {
        if (expected < 0) {
            return;
        }
        if (route.contentType() != null) {
            request = request.contentType(route.contentType())
                    .body(route.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Response response = request.request(route.method(), route.path());
        if (response.statusCode() != expected) {
            wrong.add(route.method() + " " + route.path() + " as " + who + ": " + response.statusCode() + " not "
                    + expected);
        }
    }
}
