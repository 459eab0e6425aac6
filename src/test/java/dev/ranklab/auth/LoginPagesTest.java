package dev.ranklab.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;
import dev.ranklab.web.CsrfFilter;

@QuarkusTest
class LoginPagesTest {

    @Test
    void loginSetsAnHttpOnlySessionCookieAndLogoutEndsTheSession() {
        Forms.Csrf csrf = Forms.csrf();
        var response = given().redirects().follow(false).cookie(Forms.CSRF_COOKIE, csrf.cookie())
                .contentType(ContentType.URLENC)
                .formParams(
                        Map.of("username", Api.ADMIN, "password", Api.ADMIN_PASSWORD, Forms.CSRF_FIELD, csrf.field(),
                                "next", "/admin/users"))
                .post("/login");
        response.then().statusCode(303).header("Location", containsString("/admin/users"));
        var cookie = response.getDetailedCookie(Forms.SESSION_COOKIE);
        assertNotNull(cookie);
        assertEquals(true, cookie.isHttpOnly());
        String session = cookie.getValue();
        given().cookie(Forms.SESSION_COOKIE, session).get("/admin/users").then().statusCode(200)
                .body(containsString("Add a user"));

        Forms.post(session, "/logout", Map.of()).then().statusCode(303).header("Location", containsString("/login"));
        // The old cookie is dead on the server, not just deleted in the browser.
        given().cookie(Forms.SESSION_COOKIE, session).redirects().follow(false).get("/admin/users").then()
                .statusCode(303).header("Location", containsString("/login"));
    }

    @Test
    void wrongPasswordShowsTheFormAgainWithTheUsername() {
        Forms.Csrf csrf = Forms.csrf();
        given().cookie(Forms.CSRF_COOKIE, csrf.cookie()).contentType(ContentType.URLENC)
                .formParams(Map.of("username", "admin", "password", "wrong-password-here", Forms.CSRF_FIELD,
                        csrf.field()))
                .post("/login")
                .then().statusCode(401)
                .body(containsString("Wrong username or password"))
                .body(containsString("value=\"admin\""));
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        given().cookie(Forms.SESSION_COOKIE, session).contentType(ContentType.URLENC)
                .formParams(Map.of("username", Api.unique("csrf"), "password", Api.PASSWORD, "role", "ADMIN"))
                .post("/admin/users")
                .then().statusCode(403).body(containsString(CsrfFilter.TITLE));
        Forms.Csrf csrf = Forms.csrf();
        given().cookie(Forms.SESSION_COOKIE, session).cookie(Forms.CSRF_COOKIE, csrf.cookie())
                .contentType(ContentType.URLENC)
                .formParams(Map.of("username", Api.unique("csrf"), "password", Api.PASSWORD, "role", "ADMIN",
                        Forms.CSRF_FIELD, "forged" + csrf.field().substring(6)))
                .post("/admin/users")
                .then().statusCode(403).body(containsString(CsrfFilter.TITLE));
    }

    @Test
    void nextCannotRedirectOffSite() {
        assertEquals("/", LoginPages.safeNext("https://evil.example/"));
        assertEquals("/", LoginPages.safeNext("//evil.example/"));
        assertEquals("/", LoginPages.safeNext("/\\evil.example"));
        assertEquals("/campaigns/3", LoginPages.safeNext("/campaigns/3"));
    }

    @Test
    void staleSessionCookieStillShowsTheLoginPage() {
        given().cookie(Forms.SESSION_COOKIE, "rk_ses_not-a-real-session").get("/login").then().statusCode(200)
                .body(containsString("Log in to Ranklab")).body(not(containsString("Log out")));
    }

    @Test
    void homeSendsVisitorsToLoginAndUsersToCampaigns() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", containsString("/login"));
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        given().cookie(Forms.SESSION_COOKIE, session).redirects().follow(false).get("/").then().statusCode(303)
                .header("Location", containsString("/campaigns"));
    }

    @Test
    void securityHeadersAreSet() {
        given().get("/login").then().header("X-Content-Type-Options", equalTo("nosniff"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    }
}
