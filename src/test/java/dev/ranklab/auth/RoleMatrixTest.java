package dev.ranklab.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;

/**
 * What the generated matrix (GeneratedRoleMatrixTest) does not look at: the form of a 403, where pages send anonymous
 * visitors, and a session cookie of the wrong role on pages.
 */
@QuarkusTest
class RoleMatrixTest {

    static String annotator;
    static String researcher;
    static long campaign;

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
}
