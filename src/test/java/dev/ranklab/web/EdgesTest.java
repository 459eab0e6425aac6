package dev.ranklab.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;

/**
 * The answers at the edges of the routes: unknown URLs and wrong methods, for pages and the API, anonymous and logged
 * in. None of them is a 500, and none writes an ERROR to the log.
 */
@QuarkusTest
class EdgesTest {

    private static final Path LOG = Path.of("target", "quarkus-test.log");

    @Test
    void unknownPagesAnswerRanklabs404PageWithoutErrorsInTheLog() throws IOException {
        long logged = logSize();
        given().get("/no-such-page").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("Not Found"), containsString("Back to Ranklab"));
        given().accept("text/html").get("/campaigns/1/no-such-page").then().statusCode(404);
        String session = Forms.login("admin", "test-admin-password");
        // Logged in, the layout shows the user's navigation on the error page too.
        given().cookie(Forms.SESSION_COOKIE, session).get("/no-such-page").then().statusCode(404)
                .body(containsString("href=\"/campaigns\""), containsString("admin"));
        given().get("/api/v1/no-such-route").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("/api/v1/no-such-route"));
        assertNoErrorLoggedSince(logged);
    }

    @Test
    void faviconAndRobotsAreServed() {
        byte[] icon = given().get("/favicon.ico").then().statusCode(200).contentType("image/x-icon").extract()
                .asByteArray();
        // An ICO file: reserved 0, type 1 (icon), one image.
        assertEquals(0, icon[0]);
        assertEquals(1, icon[2]);
        given().get("/robots.txt").then().statusCode(200).body(containsString("User-agent: *"));
    }

    @Test
    void aWrongMethodIs405WithAllowOnPagesAndTheApi() throws IOException {
        long logged = logSize();
        given().delete("/login").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS, POST")
                .contentType(containsString("text/html"));
        // Items are a sub-resource of campaigns owned by another class: still 405, not 404.
        Api.asAdmin().delete("/api/v1/campaigns/1/items").then().statusCode(405)
                .header("Allow", "GET, HEAD, OPTIONS, POST").contentType(Problem.MEDIA_TYPE);
        given().put("/api/v1/campaigns").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS, POST");
        Api.asAdmin().post("/api/v1/campaigns/1/agreement").then().statusCode(405)
                .header("Allow", "GET, HEAD, OPTIONS");
        assertNoErrorLoggedSince(logged);
    }

    @Test
    void optionsListsTheMethodsOfThePathItself() {
        given().options("/api/v1/campaigns/1").then().statusCode(204).header("Allow", "GET, HEAD, OPTIONS, PATCH");
        given().options("/api/v1/campaigns/1/items").then().statusCode(204)
                .header("Allow", "GET, HEAD, OPTIONS, POST");
        given().options("/api/v1/tasks/5/submission").then().statusCode(204)
                .header("Allow", equalTo(given().options("/api/v1/tasks/6/submission").header("Allow")));
        given().options("/api/v1/nothing-here").then().statusCode(404);
    }

    static long logSize() throws IOException {
        return Files.exists(LOG) ? Files.size(LOG) : 0;
    }

    static void assertNoErrorLoggedSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(LOG);
        String added = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
        assertFalse(added.contains("ERROR ["), added.length() > 3000 ? added.substring(0, 3000) : added);
    }
}
