package dev.ranklab.endpoints;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
import dev.ranklab.support.FakeChatServer;
import dev.ranklab.support.Forms;

@QuarkusTest
class EndpointApiTest {

    @Inject
    EntityManager em;

    @Inject
    EndpointPermits permits;

    private static long create(FakeChatServer server, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", Api.unique("ep"), "baseUrl", server.baseUrl(),
                "model", "tiny-chat"));
        body.putAll(extra);
        return ((Number) Api.asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/model-endpoints")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    @Test
    void theApiKeyIsSentToTheServerButNeverShownStoredInClearOrLogged() throws Exception {
        String key = "sk-test-" + Api.unique("secret");
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {

            @Override
            public void publish(LogRecord record) {
                logged.add(record.getLoggerName() + " " + record.getMessage() + " "
                        + (record.getParameters() == null ? "" : List.of(record.getParameters())));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try (FakeChatServer server = new FakeChatServer()) {
            String created = Api.asAdmin().contentType(ContentType.JSON)
                    .body(Map.of("name", Api.unique("openai"), "baseUrl", server.baseUrl() + "/", "model",
                            "tiny-chat", "apiKey", key, "maxConcurrency", 2, "requestsPerMinute", 100,
                            "defaults", Map.of("temperature", 0.7, "maxTokens", 64)))
                    .post("/api/v1/model-endpoints").then().statusCode(201)
                    .body("hasApiKey", equalTo(true)).body("maxConcurrency", equalTo(2))
                    .body("timeoutSeconds", equalTo(60)).body("baseUrl", equalTo(server.baseUrl()))
                    .body("defaults.temperature", equalTo(0.7f)).extract().asString();
            long id = Long.parseLong(created.replaceAll("(?s).*\"id\":(\\d+).*", "$1"));
            List<String> answers = new ArrayList<>(List.of(created));
            answers.add(Api.asAdmin().get("/api/v1/model-endpoints").then().statusCode(200).extract().asString());
            answers.add(Api.asAdmin().get("/api/v1/model-endpoints/" + id).then().statusCode(200).extract()
                    .asString());
            answers.add(Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/model-endpoints/" + id + "/test")
                    .then().statusCode(200)
                    .body("ok", equalTo(true)).body("reply", containsString("tiny-chat"))
                    .body("error", nullValue()).extract().asString());
            answers.add(Api.asAdmin().contentType(ContentType.JSON).body(Map.of("timeoutSeconds", 30))
                    .patch("/api/v1/model-endpoints/" + id).then().statusCode(200)
                    .body("timeoutSeconds", equalTo(30)).body("hasApiKey", equalTo(true)).extract().asString());
            answers.add(Api.asAdmin().get("/api/v1/audit").then().statusCode(200).extract().asString());
            String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
            String page = io.restassured.RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                    .get("/admin/model-endpoints").then().statusCode(200).extract().asString();
            assertTrue(page.contains("tiny-chat") && page.contains("API key set"), page);
            answers.add(page);

            assertEquals("Bearer " + key, server.received().get(0).headers().get("authorization"));
            assertEquals("tiny-chat", server.received().get(0).body().path("model").asText());
            assertEquals("/v1/chat/completions", server.received().get(0).path());
            for (String answer : answers) {
                assertFalse(answer.contains(key), "the key leaked into: " + answer);
            }
            String stored = QuarkusTransaction.requiringNew().call(() -> (String) em
                    .createNativeQuery("SELECT api_key_encrypted FROM model_endpoints WHERE id = ?1")
                    .setParameter(1, id).getSingleResult());
            assertTrue(stored.startsWith("v1:") && !stored.contains(key.substring(8)), stored);
            for (String line : logged) {
                assertFalse(line.contains(key), "the key leaked into the log: " + line);
            }
            assertTrue(logged.stream().anyMatch(l -> l.contains("Model endpoint")), "the capture saw the log");

            Api.asAdmin().contentType(ContentType.JSON).body(Map.of("apiKey", ""))
                    .patch("/api/v1/model-endpoints/" + id).then().statusCode(200)
                    .body("hasApiKey", equalTo(false));
            Api.asAdmin().delete("/api/v1/model-endpoints/" + id).then().statusCode(204);
            Api.asAdmin().get("/api/v1/model-endpoints/" + id).then().statusCode(404);
        } finally {
            root.removeHandler(capture);
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "baseUrl", "ftp://nowhere", "model",
                "m")).post("/api/v1/model-endpoints").then().statusCode(400)
                .body("detail", containsString("baseUrl"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("baseUrl", "http://localhost:1/v1", "model", "m"))
                .post("/api/v1/model-endpoints").then().statusCode(400).body("detail", containsString("name"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", Api.unique("x"), "baseUrl",
                "http://localhost:1/v1", "model", "m", "maxConcurrency", 0, "defaults", Map.of("topP", 2)))
                .post("/api/v1/model-endpoints").then().statusCode(400)
                .body("detail", containsString("maxConcurrency")).body("detail", containsString("defaults.topP"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", Api.unique("x"), "baseUrl",
                "http://localhost:1/v1", "model", "m", "surprise", 1))
                .post("/api/v1/model-endpoints").then().statusCode(400);
        String researcher = Api.newUser("RESEARCHER");
        Api.as(researcher).get("/api/v1/model-endpoints").then().statusCode(403);
        // A taken name is a conflict, as for campaigns and users.
        Map<String, Object> twin = Map.of("name", Api.unique("twin"), "baseUrl", "http://localhost:1/v1", "model",
                "m");
        Api.asAdmin().contentType(ContentType.JSON).body(twin).post("/api/v1/model-endpoints").then().statusCode(201);
        Api.asAdmin().contentType(ContentType.JSON).body(twin).post("/api/v1/model-endpoints").then().statusCode(409)
                .body("detail", containsString("name"));
    }

    @Test
    void aFailingServerIsReportedInWords() throws Exception {
        try (FakeChatServer server = new FakeChatServer()) {
            long id = create(server, Map.of("timeoutSeconds", 1));
            server.then(new FakeChatServer.Status(500, "model crashed"), new FakeChatServer.RateLimited(7),
                    new FakeChatServer.Malformed(), new FakeChatServer.Reset(), new FakeChatServer.Silent(),
                    new FakeChatServer.Status(401, "invalid api key"));
            String url = "/api/v1/model-endpoints/" + id + "/test";
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("ok", equalTo(false))
                    .body("error", equalTo("the server answered 500: model crashed"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200)
                    .body("error", equalTo("the server answered 429: rate limit reached"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("error",
                    equalTo("the answer is not valid JSON"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("ok", equalTo(false))
                    .body("error", containsString("connection"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("error",
                    equalTo("no answer within 1 s"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200)
                    .body("error", equalTo("the server answered 401: invalid api key"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("ok", equalTo(true));
        }
    }

    @Test
    void aTestOfABusyEndpointSaysSoInsteadOfQueueing() throws Exception {
        try (FakeChatServer server = new FakeChatServer()) {
            long id = create(server, Map.of("maxConcurrency", 1));
            // A generation job holds the endpoint's only permit.
            long held = QuarkusTransaction.requiringNew().call(() -> permits.tryAcquire(id)).callId();
            String url = "/api/v1/model-endpoints/" + id + "/test";
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("ok", equalTo(false))
                    .body("error", containsString("the endpoint is busy"));
            assertEquals(0, server.requests(), "no request went out beyond the endpoint's limit");
            permits.release(held);
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("ok", equalTo(true));
        }
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADate() {
        assertEquals(java.time.Duration.ofSeconds(3), ChatClient.retryAfter("3"));
        assertEquals(null, ChatClient.retryAfter("soon"));
        java.time.Duration date = ChatClient.retryAfter(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30)));
        assertTrue(date.toSeconds() > 20 && date.toSeconds() <= 30, date.toString());
    }
}
