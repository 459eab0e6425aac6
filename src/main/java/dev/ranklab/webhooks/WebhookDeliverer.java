package dev.ranklab.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.ranklab.config.RanklabConfig;

/**
 * Sends pending deliveries: a POST of the JSON payload with {@code X-Ranklab-Event}, {@code X-Ranklab-Delivery} and
 * {@code X-Ranklab-Signature: sha256=<hex HMAC of the body with the webhook's secret>}. A 2xx answer delivers it;
 * anything else is retried with exponential backoff (base × 2^attempts, at most an hour) until the last attempt
 * marks it FAILED. Deliveries are claimed with SKIP LOCKED, so several instances never send one twice at once.
 */
@ApplicationScoped
public class WebhookDeliverer {

    static final int MAX_ATTEMPTS = 8;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    EntityManager em;

    @Inject
    RanklabConfig config;

    /** A claimed delivery. */
    private record Due(long id, String url, String secret, String event, String payload, int attempts) {
    }

    @Scheduled(every = "2s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        deliverDue();
    }

    /** Sends what is due now; returns how many deliveries it attempted. */
    public int deliverDue() {
        List<Due> due = QuarkusTransaction.requiringNew().call(this::claim);
        for (Due delivery : due) {
            send(delivery);
        }
        return due.size();
    }

    /** Takes up to 20 due deliveries and pushes their next attempt out, so nobody else takes them meanwhile. */
    private List<Due> claim() {
        List<Object[]> rows = em.createNativeQuery("""
                WITH due AS (
                    SELECT d.id FROM webhook_deliveries d
                     WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
                     ORDER BY d.next_attempt_at, d.id LIMIT 20 FOR UPDATE SKIP LOCKED)
                UPDATE webhook_deliveries d SET next_attempt_at = now() + interval '2 minutes'
                  FROM due, webhooks w
                 WHERE d.id = due.id AND w.id = d.webhook_id
                RETURNING d.id, w.url, w.secret, d.event, d.payload::text, d.attempts
                """, Object[].class).getResultList();
        return rows.stream().map(r -> new Due(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                (String) r[3], (String) r[4], ((Number) r[5]).intValue())).toList();
    }

    private void send(Due delivery) {
        Integer status = null;
        String error = null;
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Ranklab-Webhooks")
                    .header("X-Ranklab-Event", delivery.event())
                    .header("X-Ranklab-Delivery", Long.toString(delivery.id()))
                    .header("X-Ranklab-Signature", "sha256=" + sign(delivery.secret(), delivery.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.payload(), StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status / 100 != 2) {
                error = DeliveryErrors.answered(status);
            }
        } catch (IOException e) {
            error = DeliveryErrors.describe(URI.create(delivery.url()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "Sending was interrupted as Ranklab shut down";
        }
        record(delivery, status, error);
    }

    private void record(Due delivery, Integer status, String error) {
        int attempts = delivery.attempts() + 1;
        double backoff = Math.min(3600, config.webhooks().retryBase().toMillis() / 1000.0 * (1L << Math.min(attempts,
                12)));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                UPDATE webhook_deliveries
                   SET attempts = ?2, last_status = CAST(?3 AS integer), last_error = CAST(?4 AS text),
                       status = CASE WHEN CAST(?4 AS text) IS NULL THEN 'DELIVERED'
                                     WHEN ?2 >= ?5 THEN 'FAILED' ELSE 'PENDING' END,
                       delivered_at = CASE WHEN CAST(?4 AS text) IS NULL THEN now() END,
                       next_attempt_at = now() + make_interval(secs => ?6)
                 WHERE id = ?1
                """).setParameter(1, delivery.id()).setParameter(2, attempts).setParameter(3, status)
                .setParameter(4, error == null ? null : error.substring(0, Math.min(500, error.length())))
                .setParameter(5, MAX_ATTEMPTS).setParameter(6, backoff).executeUpdate());
    }

    /** Hex HMAC-SHA256 of the body: what receivers compute to check a delivery came from Ranklab. */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
