package dev.ranklab.webhooks;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.ranklab.campaigns.CampaignCompletion;
import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

@QuarkusTest
class WebhookTest {

    @Inject
    WebhookDeliverer deliverer;

    @Inject
    CampaignCompletion completion;

    @Inject
    EntityManager em;

    /** What the receiver got: event header, signature header, body. */
    record Received(String event, String signature, String body) {
    }

    @Test
    void completedItemsAndCampaignsAreDeliveredSignedAndRetried() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // The first call fails, as a receiver that is briefly down would.
            int status = calls.incrementAndGet() == 1 ? 500 : 200;
            if (status == 200) {
                received.add(new Received(exchange.getRequestHeaders().getFirst("X-Ranklab-Event"),
                        exchange.getRequestHeaders().getFirst("X-Ranklab-Signature"), body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            Map<String, Object> created = Api.asAdmin().contentType(ContentType.JSON)
                    .body(Map.of("url", url, "events", List.of("item.completed", "campaign.completed")))
                    .post("/api/v1/webhooks").then().statusCode(201).extract().path("");
            String secret = (String) created.get("secret");
            long webhook = ((Number) created.get("id")).longValue();

            long campaign = Tasks.activeRankingCampaign(2, 1, 1);
            String annotator = Api.newUser("ANNOTATOR");
            Tasks.submitShownOrder(annotator, Tasks.next(annotator, campaign)).then().statusCode(201);

            for (int i = 0; i < 200 && received.stream().filter(r -> about(r, campaign)).count() < 2; i++) {
                completion.sweep();
                deliverer.deliverDue();
                Thread.sleep(50);
            }
            List<Received> mine = received.stream().filter(r -> about(r, campaign)).toList();
            assertEquals(2, mine.size(), "deliveries: " + received);
            assertTrue(mine.stream().anyMatch(r -> r.event().equals("item.completed")));
            assertTrue(mine.stream().anyMatch(r -> r.event().equals("campaign.completed")));
            for (Received r : mine) {
                assertEquals("sha256=" + receiverHmac(secret, r.body()), r.signature());
            }
            List<Map<String, Object>> deliveries = Api.asAdmin().get("/api/v1/webhooks/" + webhook
                    + "/deliveries").then().statusCode(200).extract().path("");
            assertTrue(deliveries.stream().allMatch(d -> d.get("status").equals("DELIVERED")), deliveries.toString());
            assertTrue(deliveries.stream().anyMatch(d -> ((Number) d.get("attempts")).intValue() == 2),
                    "one delivery was retried after the 500: " + deliveries);
            Api.asAdmin().delete("/api/v1/webhooks/" + webhook).then().statusCode(204);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aTestEventReachesTheReceiverAndAFailedDeliveryIsSentAgainOnRequest() throws Exception {
        List<Received> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger answer = new AtomicInteger(503);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = answer.get();
            if (status / 100 == 2) {
                delivered.add(new Received(exchange.getRequestHeaders().getFirst("X-Ranklab-Event"),
                        exchange.getRequestHeaders().getFirst("X-Ranklab-Signature"), body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            Map<String, Object> created = Api.asAdmin().contentType(ContentType.JSON)
                    .body(Map.of("url", url, "events", List.of("reward_model.promoted")))
                    .post("/api/v1/webhooks").then().statusCode(201).extract().path("");
            long webhook = ((Number) created.get("id")).longValue();
            // Sent whatever the webhook subscribes to.
            int delivery = Api.asAdmin().post("/api/v1/webhooks/" + webhook + "/test").then().statusCode(202)
                    .body("event", equalTo("webhook.test")).body("status", equalTo("PENDING")).extract().path("id");
            String deliveries = "/api/v1/webhooks/" + webhook + "/deliveries";
            for (int i = 0; i < 200 && Api.asAdmin().get(deliveries).path("[0].lastError") == null; i++) {
                deliverer.deliverDue();
                Thread.sleep(50);
            }
            // The receiver was down: the error says so in words.
            Api.asAdmin().get(deliveries).then().statusCode(200).body("[0].retryable", equalTo(true))
                    .body("[0].lastError", equalTo("The receiver answered HTTP 503 (Service Unavailable); a "
                            + "delivery counts when it answers 2xx"));
            // As after its last attempt: nothing sends a FAILED delivery again unless asked.
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "UPDATE webhook_deliveries SET status = 'FAILED' WHERE id = ?1").setParameter(1, delivery)
                    .executeUpdate());
            answer.set(204);
            Api.asAdmin().post("/api/v1/webhooks/" + webhook + "/deliveries/" + delivery + "/retry").then()
                    .statusCode(202).body("status", equalTo("PENDING"));
            for (int i = 0; i < 200 && delivered.isEmpty(); i++) {
                deliverer.deliverDue();
                Thread.sleep(50);
            }
            assertEquals(1, delivered.size(), "sent again once asked");
            assertEquals("webhook.test", delivered.get(0).event());
            assertEquals("sha256=" + receiverHmac((String) created.get("secret"), delivered.get(0).body()),
                    delivered.get(0).signature());
            Api.asAdmin().get(deliveries).then().body("[0].status", equalTo("DELIVERED"))
                    .body("[0].retryable", equalTo(false));
            Api.asAdmin().post("/api/v1/webhooks/" + webhook + "/deliveries/" + delivery + "/retry").then()
                    .statusCode(409).body("detail", containsString("only a failed delivery can be retried"));
            Api.asAdmin().post("/api/v1/webhooks/" + webhook + "/deliveries/987654321/retry").then().statusCode(404);
            Api.asAdmin().post("/api/v1/webhooks/987654321/test").then().statusCode(404);
            Api.as(Api.newUser("RESEARCHER")).post("/api/v1/webhooks/" + webhook + "/test").then().statusCode(403);
            Api.asAdmin().delete("/api/v1/webhooks/" + webhook).then().statusCode(204);
        } finally {
            server.stop(0);
        }
    }

    /** A receiver that cannot be reached is described by host, port and what happened, without Java's names. */
    @Test
    void deliveryErrorsNameTheHostAndWhatHappenedInWords() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        java.net.URI url = java.net.URI.create("http://127.0.0.1:" + closed + "/hook");
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(url).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            throw new AssertionError("nothing listens on port " + closed);
        } catch (IOException refused) {
            assertEquals("Could not connect to 127.0.0.1:" + closed + " (connection refused)",
                    DeliveryErrors.describe(url, refused));
        }
        assertEquals("Could not find the host hooks.invalid (its name does not resolve)", DeliveryErrors.describe(
                java.net.URI.create("https://hooks.invalid/x"),
                new java.net.ConnectException().initCause(new java.nio.channels.UnresolvedAddressException())));
        assertEquals("Could not connect to hooks.example.com:443 (no answer within 5 seconds)",
                DeliveryErrors.describe(java.net.URI.create("https://hooks.example.com/x"),
                        new java.net.http.HttpConnectTimeoutException("HTTP connect timed out")));
    }

    private static boolean about(Received received, long campaign) {
        return io.restassured.path.json.JsonPath.from(received.body()).getLong("data.campaignId") == campaign;
    }

    @Test
    void badSubscriptionsAreRefused() throws IOException {
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("url", "ftp://x", "events", List.of("bogus")))
                .post("/api/v1/webhooks").then().statusCode(400)
                .body("detail", containsString("url")).body("detail", containsString("events"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("url", "https://example.org/h", "events",
                List.of("item.completed"), "secret", "short")).post("/api/v1/webhooks").then().statusCode(400)
                .body("detail", containsString("secret"));
        Api.as(Api.newUser("RESEARCHER")).get("/api/v1/webhooks").then().statusCode(403);
        Api.asAdmin().delete("/api/v1/webhooks/987654321").then().statusCode(404);
    }

    /** RFC 4231's test case 2: a fixed HMAC-SHA256 vector, so the signer is checked against a known answer. */
    @Test
    void theSignatureIsHexHmacSha256OfTheBody() {
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookDeliverer.sign("Jefe", "what do ya want for nothing?"));
    }

    /** What a receiver computes, written here with the JDK's Mac rather than taken from the signer under test. */
    static String receiverHmac(String secret, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return java.util.HexFormat.of()
                    .formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
