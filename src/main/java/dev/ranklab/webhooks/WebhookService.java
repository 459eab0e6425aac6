package dev.ranklab.webhooks;

import java.net.URI;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.CampaignCompletion;
import dev.ranklab.rewardmodel.RewardModelService;
import dev.ranklab.tasks.SubmissionService;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * Subscriptions, and the outbox they are fed from: an event writes one pending delivery per subscribed webhook in
 * the transaction that caused it, so a rolled-back submission never announces anything.
 */
@ApplicationScoped
public class WebhookService {

    public static final String ITEM_COMPLETED = "item.completed";
    public static final String CAMPAIGN_COMPLETED = "campaign.completed";
    public static final String MODEL_PROMOTED = "reward_model.promoted";
    public static final Set<String> EVENTS = Set.of(ITEM_COMPLETED, CAMPAIGN_COMPLETED, MODEL_PROMOTED);
    public static final int MIN_SECRET = 16;

    /** An event a webhook subscribes to, as the API document describes it. */
    @Schema(name = "WebhookEvent", type = SchemaType.STRING, enumeration = {ITEM_COMPLETED, CAMPAIGN_COMPLETED,
            MODEL_PROMOTED})
    public static final class Event {

        private Event() {
        }
    }
    public static final int MAX_SECRET = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A webhook as the API shows it; the secret only when it is created. */
    public record WebhookView(long id, String url, List<String> events, boolean active, OffsetDateTime createdAt,
            String secret) {
    }

    /**
     * One delivery and how it went.
     *
     * @param retryable whether "retry now" applies: it failed for good, or failed and waits for its next attempt
     */
    public record DeliveryView(long id, String event, String status, int attempts, Integer lastStatus,
            String lastError, OffsetDateTime createdAt, OffsetDateTime deliveredAt, boolean retryable) {
    }

    /** The event a test delivery carries; receivers can tell it from real ones. */
    public static final String TEST_EVENT = "webhook.test";

    private static final String DELIVERY_COLUMNS = "id, event, status, attempts, last_status, last_error, "
            + "created_at, delivered_at";

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    AuditLog audit;

    @Transactional
    public WebhookView create(String url, List<String> events, String secret) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        URI target = null;
        try {
            target = url == null ? null : URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (target == null || target.getHost() == null
                || !("http".equals(target.getScheme()) || "https".equals(target.getScheme()))) {
            errors.add("url", "must be an absolute http:// or https:// URL");
        }
        // Set.of(...).contains(null) throws, so a null entry is checked for first.
        if (events == null || events.isEmpty() || events.stream().anyMatch(e -> e == null || !EVENTS.contains(e))) {
            errors.add("events", "choose from item.completed, campaign.completed, reward_model.promoted");
        }
        String key = secret == null || secret.isBlank() ? HexFormat.of().formatHex(randomBytes()) : secret;
        if (key.length() < MIN_SECRET || key.length() > MAX_SECRET) {
            errors.add("secret", "must be 16 to 200 characters (or absent, and one is generated)");
        }
        errors.throwIfAny();
        List<String> distinct = events.stream().distinct().sorted().toList();
        Object[] row = (Object[]) em.createNativeQuery("INSERT INTO webhooks (url, secret, events) "
                + "VALUES (?1, ?2, CAST(?3 AS text[])) RETURNING id, created_at", Object[].class)
                .setParameter(1, target.toString()).setParameter(2, key)
                .setParameter(3, "{" + String.join(",", distinct) + "}").getSingleResult();
        long id = ((Number) row[0]).longValue();
        audit.record("webhook.create", "webhook:" + id, Map.of("url", target.toString(), "events", distinct));
        return new WebhookView(id, target.toString(), distinct, true, time(row[1]), key);
    }

    /** A timestamptz from a native query, whichever Java type the driver and Hibernate chose for it. */
    static OffsetDateTime time(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset;
        }
        if (value instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().atOffset(ZoneOffset.UTC);
        }
        throw new IllegalStateException("not a time: " + value.getClass());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Transactional
    public List<WebhookView> list() {
        List<Object[]> rows = em.createNativeQuery(
                "SELECT id, url, array_to_string(events, ','), active, created_at FROM webhooks ORDER BY id",
                Object[].class).getResultList();
        List<WebhookView> views = new ArrayList<>();
        for (Object[] row : rows) {
            views.add(new WebhookView(((Number) row[0]).longValue(), (String) row[1],
                    List.of(((String) row[2]).split(",")), (Boolean) row[3], time(row[4]), null));
        }
        return views;
    }

    @Transactional
    public void delete(long id) {
        int deleted = em.createNativeQuery("DELETE FROM webhooks WHERE id = ?1").setParameter(1, id).executeUpdate();
        if (deleted == 0) {
            throw ProblemException.notFound("no webhook with id " + id);
        }
        audit.record("webhook.delete", "webhook:" + id, Map.of());
    }

    @Transactional
    public List<DeliveryView> deliveries(long webhookId) {
        requireWebhook(webhookId);
        List<Object[]> rows = em.createNativeQuery("SELECT " + DELIVERY_COLUMNS
                + " FROM webhook_deliveries WHERE webhook_id = ?1 ORDER BY id DESC LIMIT 200", Object[].class)
                .setParameter(1, webhookId).getResultList();
        return rows.stream().map(WebhookService::delivery).toList();
    }

    /**
     * Queues a {@value #TEST_EVENT} delivery to this webhook alone, whatever it subscribes to, signed and retried
     * like any other: the way to check a receiver before real events reach it.
     */
    @Transactional
    public DeliveryView sendTest(long webhookId) {
        requireWebhook(webhookId);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("webhookId", webhookId);
        data.put("note", "A test event: it announces nothing.");
        Object[] row = (Object[]) em.createNativeQuery("INSERT INTO webhook_deliveries (webhook_id, event, payload) "
                + "VALUES (?1, ?2, CAST(?3 AS jsonb)) RETURNING " + DELIVERY_COLUMNS, Object[].class)
                .setParameter(1, webhookId).setParameter(2, TEST_EVENT).setParameter(3, payload(TEST_EVENT, data))
                .getSingleResult();
        DeliveryView delivery = delivery(row);
        audit.record("webhook.test", "webhook:" + webhookId, Map.of("delivery", delivery.id()));
        return delivery;
    }

    /**
     * Sends a failed delivery again at once. One that failed for good gets one more attempt (its attempts go on
     * counting, and it fails for good again if that attempt fails); one waiting out its backoff is sent now.
     */
    @Transactional
    public DeliveryView retry(long webhookId, long deliveryId) {
        requireWebhook(webhookId);
        List<Object[]> rows = em.createNativeQuery("""
                UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = now()
                 WHERE id = ?1 AND webhook_id = ?2
                   AND (status = 'FAILED' OR (status = 'PENDING' AND last_error IS NOT NULL))
                RETURNING\s""" + DELIVERY_COLUMNS, Object[].class).setParameter(1, deliveryId)
                .setParameter(2, webhookId).getResultList();
        if (rows.isEmpty()) {
            List<?> status = em.createNativeQuery("SELECT status FROM webhook_deliveries WHERE id = ?1 AND "
                    + "webhook_id = ?2").setParameter(1, deliveryId).setParameter(2, webhookId).getResultList();
            if (status.isEmpty()) {
                throw ProblemException.notFound("webhook " + webhookId + " has no delivery " + deliveryId);
            }
            throw ProblemException.conflict("delivery " + deliveryId + " is " + status.get(0)
                    + ("DELIVERED".equals(status.get(0)) ? "" : " and has not failed yet")
                    + "; only a failed delivery can be retried");
        }
        audit.record("webhook.retry", "webhook:" + webhookId, Map.of("delivery", deliveryId));
        return delivery(rows.get(0));
    }

    private void requireWebhook(long webhookId) {
        Number found = (Number) em.createNativeQuery("SELECT count(*) FROM webhooks WHERE id = ?1")
                .setParameter(1, webhookId).getSingleResult();
        if (found.longValue() == 0) {
            throw ProblemException.notFound("no webhook with id " + webhookId);
        }
    }

    private static DeliveryView delivery(Object[] row) {
        String status = (String) row[2];
        String lastError = (String) row[5];
        return new DeliveryView(((Number) row[0]).longValue(), (String) row[1], status, ((Number) row[3]).intValue(),
                row[4] == null ? null : ((Number) row[4]).intValue(), lastError, time(row[6]), time(row[7]),
                "FAILED".equals(status) || ("PENDING".equals(status) && lastError != null));
    }

    private String payload(String event, Map<String, Object> data) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", event);
        payload.put("at", OffsetDateTime.now().toString());
        payload.put("data", data);
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a pending delivery for every active webhook subscribed to the event, in the caller's transaction. */
    void emit(String event, Map<String, Object> data) {
        String body = payload(event, data);
        em.createNativeQuery("""
                INSERT INTO webhook_deliveries (webhook_id, event, payload)
                SELECT id, ?1, CAST(?2 AS jsonb) FROM webhooks WHERE active AND ?1 = ANY (events)
                """).setParameter(1, event).setParameter(2, body).executeUpdate();
    }

    void onItemCompleted(@Observes SubmissionService.ItemCompleted completed) {
        emit("item.completed", Map.of("itemId", completed.itemId(), "campaignId", completed.campaignId()));
    }

    void onCampaignCompleted(@Observes CampaignCompletion.Completed completed) {
        emit("campaign.completed", Map.of("campaignId", completed.campaignId()));
    }

    void onPromoted(@Observes RewardModelService.Promoted promoted) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("version", promoted.version());
        data.put("previousVersion", promoted.previous());
        data.put("note", promoted.note());
        emit("reward_model.promoted", data);
    }
}
