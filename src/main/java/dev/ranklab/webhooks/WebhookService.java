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

    /** One delivery and how it went. */
    public record DeliveryView(long id, String event, String status, int attempts, Integer lastStatus,
            String lastError, OffsetDateTime createdAt, OffsetDateTime deliveredAt) {
    }

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
        Number found = (Number) em.createNativeQuery("SELECT count(*) FROM webhooks WHERE id = ?1")
                .setParameter(1, webhookId).getSingleResult();
        if (found.longValue() == 0) {
            throw ProblemException.notFound("no webhook with id " + webhookId);
        }
        List<Object[]> rows = em.createNativeQuery("""
                SELECT id, event, status, attempts, last_status, last_error, created_at, delivered_at
                  FROM webhook_deliveries WHERE webhook_id = ?1 ORDER BY id DESC LIMIT 200
                """, Object[].class).setParameter(1, webhookId).getResultList();
        List<DeliveryView> views = new ArrayList<>();
        for (Object[] row : rows) {
            views.add(new DeliveryView(((Number) row[0]).longValue(), (String) row[1], (String) row[2],
                    ((Number) row[3]).intValue(), row[4] == null ? null : ((Number) row[4]).intValue(),
                    (String) row[5], time(row[6]), time(row[7])));
        }
        return views;
    }

    /** Writes a pending delivery for every active webhook subscribed to the event, in the caller's transaction. */
    void emit(String event, Map<String, Object> data) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", event);
        payload.put("at", OffsetDateTime.now().toString());
        payload.put("data", data);
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
