package dev.ranklab.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;

/**
 * The form token holds for a page's whole life: nothing the page itself requests afterwards (its API calls, its
 * downloads, other pages in other tabs) replaces the cookie its forms were made for; API answers never write it;
 * a refused form gets Ranklab's own page with a way back.
 */
@QuarkusTest
class CsrfTest {

    private static final Pattern FIELD = Pattern.compile("name=\"" + Forms.CSRF_FIELD + "\" value=\"([^\"]+)\"");

    private static String field(Response page) {
        Matcher matcher = FIELD.matcher(page.asString());
        if (!matcher.find()) {
            throw new AssertionError("no form token on the page");
        }
        return matcher.group(1);
    }

    @Test
    void aPagesTokenSurvivesItsOwnFetchesDownloadsAndOtherPages() {
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        long campaign = Api.newRankingCampaign(2);
        Response first = given().cookie(Forms.SESSION_COOKIE, session).get("/campaigns/" + campaign + "/dashboard");
        first.then().statusCode(200);
        String nonce = first.getCookie(Forms.CSRF_COOKIE);
        assertNotNull(nonce, "a page with forms hands out the nonce cookie");
        String token = field(first);

        // What the dashboard's script and the data page's links request, then another page in another tab.
        for (String path : new String[]{"/api/v1/campaigns/" + campaign + "/dashboard",
                "/api/v1/campaigns/" + campaign + "/export?format=jsonl", "/campaigns/" + campaign + "/data",
                "/admin/users"}) {
            Response answer = given().cookie(Forms.SESSION_COOKIE, session).cookie(Forms.CSRF_COOKIE, nonce)
                    .get(path);
            String cookie = answer.getCookie(Forms.CSRF_COOKIE);
            if (cookie != null) {
                assertEquals(nonce, cookie, path + " replaced the nonce cookie");
            }
            if (answer.contentType().startsWith("text/html") && answer.asString().contains(Forms.CSRF_FIELD)) {
                assertEquals(token, field(answer), path + " renders another token for the same browser");
            }
        }

        // The form rendered first still works; logging out with it logs out.
        given().redirects().follow(false).cookie(Forms.SESSION_COOKIE, session).cookie(Forms.CSRF_COOKIE, nonce)
                .contentType(ContentType.URLENC).formParams(Map.of(Forms.CSRF_FIELD, token))
                .post("/logout")
                .then().statusCode(303).header("Location", containsString("/login"));
        given().redirects().follow(false).cookie(Forms.SESSION_COOKIE, session).get("/campaigns")
                .then().statusCode(303).header("Location", containsString("/login"));
    }

    @Test
    void apiAnswersNeverWriteTheNonceCookie() {
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        long campaign = Api.newRankingCampaign(2);
        for (String path : new String[]{"/api/v1/campaigns", "/api/v1/campaigns/" + campaign + "/dashboard",
                "/api/v1/no-such-thing"}) {
            assertNull(given().cookie(Forms.SESSION_COOKIE, session).get(path).getCookie(Forms.CSRF_COOKIE), path);
            assertNull(Api.asAdmin().get(path).getCookie(Forms.CSRF_COOKIE), path);
        }
    }

    @Test
    void aRefusedFormGetsRanklabsOwnPageWithAWayBack() {
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        Forms.Csrf csrf = Forms.csrf();
        String back = "/admin/users?q=x";
        Response refused = given().redirects().follow(false).cookie(Forms.SESSION_COOKIE, session)
                .cookie(Forms.CSRF_COOKIE, csrf.cookie()).header("Referer", "http://localhost:"
                        + io.restassured.RestAssured.port + back)
                .contentType(ContentType.URLENC)
                .formParams(Map.of(Forms.CSRF_FIELD, "not-" + csrf.field(), "username", Api.unique("x")))
                .post("/admin/users");
        refused.then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString(CsrfFilter.TITLE))
                .body(containsString("Nothing was changed"))
                .body(containsString("href=\"/admin/users?q=x\""));
        // A referrer on another site is not a way back.
        given().cookie(Forms.SESSION_COOKIE, session).header("Referer", "https://elsewhere.example/admin")
                .contentType(ContentType.URLENC).formParams(Map.of("x", "y"))
                .post("/logout")
                .then().statusCode(403).body(containsString("href=\"/\">Back to the page"));
    }

    @Test
    void plainTextPostsFromElsewhereNeedTheTokenButScriptsDoNot() {
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        // A page on another site can post text/plain with the browser's cookies to a route that takes any body.
        given().cookie(Forms.SESSION_COOKIE, session).contentType(ContentType.TEXT).body("x=y")
                .post("/api/v1/exports/987654321/cancel")
                .then().statusCode(403).contentType(containsString("application/problem+json"))
                .body("title", org.hamcrest.Matchers.equalTo(CsrfFilter.TITLE));
        // A bearer token cannot be added by another site: the same request from a script reaches the route.
        Api.asAdmin().contentType(ContentType.TEXT).body("x=y").post("/api/v1/exports/987654321/cancel")
                .then().statusCode(404);
    }

    @Test
    void tokensAreBoundToTheKey() {
        String nonce = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        String token = CsrfToken.sign(nonce, "key-one-0123456789abcdef0123456789");
        assertEquals(true, CsrfToken.matches(nonce, token, "key-one-0123456789abcdef0123456789"));
        assertEquals(false, CsrfToken.matches(nonce, token, "key-two-0123456789abcdef0123456789"));
        assertEquals(false, CsrfToken.matches(null, token, "key-one-0123456789abcdef0123456789"));
        assertEquals(false, CsrfToken.matches(nonce, null, "key-one-0123456789abcdef0123456789"));
    }
}
