package dev.ranklab.webhooks;

import static org.hamcrest.Matchers.containsString;
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

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

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
