package dev.ranklab.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.ws.rs.POST;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;

/**
 * The browser-facing defences, checked over everything rather than by example: every form carries a CSRF token and
 * every form route refuses a post without one; no template has an inline script, inline style or event-handler
 * attribute (the Content-Security-Policy would block them, and they are where injected text runs); the policy
 * itself allows nothing inline; and no password or token ever reaches the log.
 */
@QuarkusTest
class HardeningTest {

    private static final Path TEMPLATES = Path.of("ui-templates", "templates");

    private static List<Path> templates() throws IOException {
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            return files.filter(file -> file.toString().endsWith(".html")).toList();
        }
    }

    @Test
    void everyPostFormCarriesACsrfToken() throws IOException {
        Pattern form = Pattern.compile("<form\\b[^>]*method=\"post\"[^>]*>(.*?)</form>", Pattern.DOTALL);
        List<String> missing = new ArrayList<>();
        int forms = 0;
        for (Path template : templates()) {
            Matcher matcher = form.matcher(Files.readString(template));
            while (matcher.find()) {
                forms++;
                if (!matcher.group(1).contains("{#csrf /}")) {
                    missing.add(
                            template + ": " + matcher.group().substring(0, Math.min(120, matcher.group().length())));
                }
            }
        }
        assertTrue(forms > 20, "found only " + forms + " forms");
        assertEquals(List.of(), missing);
    }

    @Test
    void everyFormRouteRefusesAPostWithoutTheToken() throws Exception {
        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        long campaign = Api.newRankingCampaign(2);
        List<String> accepted = new ArrayList<>();
        int routes = 0;
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes.resolve("dev/ranklab"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[A-Za-z]+Pages\\.class")).toList()) {
                Class<?> type = Class.forName(classes.relativize(file).toString().replace('/', '.')
                        .replace(".class", ""));
                jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
                for (Method method : type.getDeclaredMethods()) {
                    if (!method.isAnnotationPresent(POST.class)) {
                        continue;
                    }
                    jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                    String path = (base.value() + (sub == null ? "" : "/" + sub.value())).replaceAll("//+", "/")
                            .replace("{id}", Long.toString(campaign)).replaceAll("\\{[^}]+}", "987654321");
                    routes++;
                    // A login form needs no session; every other one is sent with the admin's.
                    jakarta.ws.rs.Consumes consumes = method.getAnnotation(jakarta.ws.rs.Consumes.class);
                    boolean multipart = consumes != null && String.join(",", consumes.value()).contains("multipart");
                    var request = given().cookie(Forms.SESSION_COOKIE, session).redirects().follow(false);
                    Response response = multipart
                            ? request.multiPart("file", "x.jsonl", "{}".getBytes()).post(path)
                            : request.contentType(ContentType.URLENC).formParams(Map.of("x", "y")).post(path);
                    // The CSRF refusal itself, not any 400 that a bad field or a missing campaign would also give.
                    if (response.statusCode() != 403 || !response.asString().contains(CsrfFilter.TITLE)) {
                        accepted.add("POST " + path + ": " + response.statusCode());
                    }
                }
            }
        }
        assertTrue(routes > 15, "found only " + routes + " form routes");
        assertEquals(List.of(), accepted);
    }

    @Test
    void noTemplateHasInlineScriptStyleOrEventHandlers() throws IOException {
        Pattern inline = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>|\\sstyle=\"|<style\\b|\\son[a-z]+=\"",
                Pattern.CASE_INSENSITIVE);
        List<String> found = new ArrayList<>();
        for (Path template : templates()) {
            Matcher matcher = inline.matcher(Files.readString(template));
            while (matcher.find()) {
                found.add(template + ": " + matcher.group());
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void thePolicyAllowsNothingInlineOnPagesAndTheApi() {
        for (Response response : List.of(given().get("/login"), Api.asAdmin().get("/api/v1/campaigns"))) {
            String policy = response.header("Content-Security-Policy");
            assertTrue(policy.contains("script-src 'self'") && policy.contains("style-src 'self'"), policy);
            assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval"), policy);
            assertTrue(policy.contains("frame-ancestors 'none'") && policy.contains("object-src 'none'"), policy);
            assertEquals("nosniff", response.header("X-Content-Type-Options"));
            assertEquals("DENY", response.header("X-Frame-Options"));
            assertEquals("same-origin", response.header("Referrer-Policy"));
        }
    }

    @Test
    void noPasswordOrTokenIsWrittenToTheLog() throws IOException {
        String username = Api.unique("logcheck");
        String password = "Very-Distinctive-Password-" + Api.unique("p");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("username", username, "password", password, "role",
                "ANNOTATOR")).post("/api/v1/users").then().statusCode(201);
        String token = Api.token(username, password);
        Api.as(token).get("/api/v1/users/me").then().statusCode(200);
        String session = Forms.login(username, password);
        given().cookie(Forms.SESSION_COOKIE, session).get("/annotate").then().statusCode(200);
        // A failed login with a password-like username, and a garbage token, are logged at most as events.
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password + "-wrong"))
                .post("/api/v1/auth/token").then().statusCode(401);
        given().header("Authorization", "Bearer " + token + "x").get("/api/v1/users/me").then().statusCode(401);
        Api.as(token).delete("/api/v1/auth/token").then().statusCode(204);

        String log = Files.readString(Path.of("target", "quarkus-test.log"));
        assertTrue(log.contains("Login failed for '" + username + "'"), "the failed login is in the log, as an event");
        for (String secret : List.of(password, token, session, Api.ADMIN_PASSWORD)) {
            assertFalse(log.contains(secret), "a secret reached the log: " + secret.substring(0, 6) + "…");
        }
    }
}
