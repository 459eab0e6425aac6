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

    /** The endpoint's update entries in the audit log, newest first. */
    private static List<Map<String, Object>> updates(long id) {
        List<Map<String, Object>> entries = Api.asAdmin().get("/api/v1/audit?action=model_endpoint.update&limit=1000")
                .then().statusCode(200).extract().path("");
        return entries.stream().filter(e -> ("model_endpoint:" + id).equals(e.get("target"))).toList();
    }

    @Test
    void aDefaultSentAsNullIsRemovedAndAChangeThatChangesNothingIsNotRecorded() {
        String created = Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", Api.unique("defaults"),
                "baseUrl", "http://localhost:1/v1", "model", "m", "apiKey", "sk-same",
                "defaults", Map.of("temperature", 0.7, "topP", 0.9, "maxTokens", 64)))
                .post("/api/v1/model-endpoints").then().statusCode(201)
                .body("createdAt", org.hamcrest.Matchers.notNullValue()).extract().asString();
        long id = Long.parseLong(created.replaceAll("(?s).*\"id\":(\\d+).*", "$1"));
        String url = "/api/v1/model-endpoints/" + id;
        String updatedAt = Api.asAdmin().get(url).then().extract().path("updatedAt");
        // Nothing to change: updatedAt stays, no audit entry.
        for (String noop : List.of("{}", "{\"name\":null}", "{\"requestsPerMinute\":0}", "{\"defaults\":{}}",
                "{\"apiKey\":\"sk-same\"}")) {
            Api.asAdmin().contentType(ContentType.JSON).body(noop).patch(url).then().statusCode(200)
                    .body("updatedAt", equalTo(updatedAt)).body("defaults.topP", equalTo(0.9f));
        }
        assertEquals(0, updates(id).size(), "a change that changed nothing was audited");
        Api.asAdmin().contentType(ContentType.JSON).body("{\"defaults\":{\"topP\":null}}").patch(url).then()
                .statusCode(200).body("defaults.topP", nullValue()).body("defaults.temperature", equalTo(0.7f))
                .body("defaults.maxTokens", equalTo(64));
        Api.asAdmin().contentType(ContentType.JSON).body("{\"defaults\":null,\"apiKey\":\"sk-other\"}").patch(url)
                .then().statusCode(200).body("defaults.temperature", nullValue())
                .body("defaults.maxTokens", nullValue());
        List<Map<String, Object>> audited = updates(id);
        assertEquals(2, audited.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> latest = (Map<String, Object>) audited.get(0).get("details");
        assertEquals(List.of("defaults.temperature", "defaults.maxTokens", "apiKey"), latest.get("changed"));
        assertFalse(audited.toString().contains("sk-other"), audited.toString());
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "baseUrl", "ftp://nowhere", "model",
                "m")).post("/api/v1/model-endpoints").then().statusCode(400)
                .body("detail", containsString("baseUrl"));
        // Credentials in the URL would be shown everywhere; a query is said to be the problem, not "required".
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", Api.unique("x"), "baseUrl",
                "http://user:pw@localhost:1/v1", "model", "m")).post("/api/v1/model-endpoints").then()
                .statusCode(400).body("detail", containsString("baseUrl: must not contain a user name or password"))
                .body("detail", containsString("apiKey"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", Api.unique("x"), "baseUrl",
                "http://localhost:1/v1?x=1", "model", "m")).post("/api/v1/model-endpoints").then()
                .statusCode(400).body("detail", equalTo("baseUrl: must not contain a query (?…): "
                        + "chat/completions is appended to it"));
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
                    new FakeChatServer.Status(401, "invalid api key"), new FakeChatServer.Html(404));
            String url = "/api/v1/model-endpoints/" + id + "/test";
            // Every error names the URL that was tried.
            String at = " at " + server.baseUrl() + "/chat/completions";
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("ok", equalTo(false))
                    .body("error", equalTo("the server answered 500" + at + ": model crashed"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200)
                    .body("error", equalTo("the server answered 429" + at + ": rate limit reached"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("error",
                    equalTo("the answer is not valid JSON"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("ok", equalTo(false))
                    .body("error", containsString("connection"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200).body("error",
                    equalTo("no answer within 1 s from " + server.baseUrl() + "/chat/completions"));
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200)
                    .body("error", equalTo("the server answered 401" + at + ": invalid api key"));
            // A web page is named, never pasted.
            Api.asAdmin().contentType(ContentType.JSON).post(url).then().statusCode(200)
                    .body("error", equalTo("the server answered 404" + at + " (an HTML page, not an "
                            + "OpenAI-compatible API: check baseUrl, e.g. http://host:8000/v1)"));
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
