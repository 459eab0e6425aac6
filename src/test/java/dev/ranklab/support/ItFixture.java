package dev.ranklab.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Setting up a packaged app for the integration tests: tokens, a ranking campaign with items, annotators. */
public final class ItFixture {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String ADMIN_PASSWORD = "it-admin-password";

    private ItFixture() {
    }

    /** A JSON call that must succeed; GET when there is no body. */
    public static JsonNode call(AppProcess app, String method, String path, String token, String body)
            throws Exception {
        HttpResponse<String> response = body == null
                ? app.get(path, token)
                : app.send(method, path, token, "application/json", body);
        assertTrue(response.statusCode() / 100 == 2, method + " " + path + ": " + response.statusCode() + " "
                + response.body());
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    public static String token(AppProcess app, String username, String password) throws Exception {
        return call(app, "POST", "/api/v1/auth/token", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}").get("token").asText();
    }

    public static String adminToken(AppProcess app) throws Exception {
        return token(app, "admin", ADMIN_PASSWORD);
    }

    /** An active K=2 ranking campaign with this many items ("Explain topic i", a long and a short answer). */
    public static long rankingCampaign(AppProcess app, String admin, String name, int items, int overlap)
            throws Exception {
        long campaign = call(app, "POST", "/api/v1/campaigns", admin, "{\"name\":\"" + name + "\",\"kind\":\"RANKING\","
                + "\"responsesPerItem\":2,\"overlap\":" + overlap + "}").get("id").asLong();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < items; i++) {
            lines.append("{\"externalId\":\"").append(i).append("\",\"prompt\":\"Explain topic ").append(i)
                    .append("\",\"responses\":[\"Here is a careful explanation of topic ").append(i)
                    .append(", step by step.\",\"No idea.\"]}\n");
        }
        assertEquals(200, app.post("/api/v1/campaigns/" + campaign + "/items", admin, "application/x-ndjson",
                lines.toString()).statusCode());
        call(app, "PATCH", "/api/v1/campaigns/" + campaign, admin, "{\"status\":\"ACTIVE\"}");
        return campaign;
    }

    /** Creates annotators prefix0… and returns their tokens, each got from the app at that index (round robin). */
    public static List<String> annotators(List<AppProcess> apps, String admin, String prefix, int count)
            throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            String password = "password-" + a + "-xyz";
            call(apps.get(0), "POST", "/api/v1/users", admin, "{\"username\":\"" + prefix + a + "\",\"password\":\""
                    + password + "\",\"role\":\"ANNOTATOR\"}");
            tokens.add(token(apps.get(a % apps.size()), prefix + a, password));
        }
        return tokens;
    }
}
