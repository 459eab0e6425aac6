package dev.ranklab.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Helpers for API tests: tokens per user, users and campaigns made through the public API. */
public final class Api {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String PASSWORD = "correct-horse-battery";
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Api() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + System.nanoTime() % 1_000_000_000 + "-" + SEQUENCE.incrementAndGet();
    }

    /** A token for this user, issued once and reused. */
    public static String token(String username, String password) {
        return TOKENS.computeIfAbsent(username, u -> freshToken(u, password));
    }

    /** A new token, for a test that revokes it. */
    public static String freshToken(String username, String password) {
        return given().log().ifValidationFails().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/token")
                .then().log().ifValidationFails().statusCode(200)
                .extract().path("token");
    }

    public static String adminToken() {
        return token(ADMIN, ADMIN_PASSWORD);
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    public static RequestSpecification asAdmin() {
        return as(adminToken());
    }

    /** Creates a user with {@link #PASSWORD} and returns a token for it. */
    public static String newUser(String role) {
        String username = unique(role.toLowerCase());
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", PASSWORD, "role", role))
                .post("/api/v1/users")
                .then().statusCode(201);
        return token(username, PASSWORD);
    }

    /** Creates a RANKING campaign with K responses per item and returns its id. */
    public static long newRankingCampaign(int k) {
        return newCampaign(Map.of("name", unique("ranking"), "kind", "RANKING", "responsesPerItem", k));
    }

    public static long newCampaign(Map<String, Object> body) {
        return ((Number) asAdmin().contentType(ContentType.JSON).body(body)
                .post("/api/v1/campaigns")
                .then().statusCode(201)
                .extract().path("id")).longValue();
    }

    public static void setStatus(long campaignId, String status) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", status))
                .patch("/api/v1/campaigns/" + campaignId)
                .then().statusCode(200);
    }

    public static RequestSpecification ndjson(String body) {
        return asAdmin().contentType("application/x-ndjson")
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An import line for a K-response item. */
    public static String rankingLine(String externalId, int k) {
        StringBuilder responses = new StringBuilder();
        for (int i = 1; i <= k; i++) {
            responses.append(i > 1 ? "," : "").append("{\"text\":\"answer ").append(i).append(" to ")
                    .append(externalId).append("\",\"model\":\"m").append(i).append("\"}");
        }
        return "{\"externalId\":\"" + externalId + "\",\"prompt\":\"question " + externalId + "\",\"responses\":["
                + responses + "]}";
    }
}
