package dev.ranklab.generation;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.endpoints.EndpointService;
import dev.ranklab.items.GeneratedResponses;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * Starts, shows and cancels generation jobs. Starting one writes a row per (item, slot) for every item of the
 * campaign that waits for responses; {@link GenerationRunner} then works through those rows on every instance.
 */
@ApplicationScoped
public class GenerationService {

    private static final TypeReference<List<GenerationRequest.Source>> SOURCES = new TypeReference<>() {
    };

    /**
     * The SET clause that freezes an ending job's outcome (the job's row is aliased {@code j}): its slots pass to
     * the next job of the same items, so an ended job's counts and errors are kept with it, not counted later.
     */
    static final String FREEZE_OUTCOME = """
            items_done = (SELECT count(*) FROM (SELECT item_id FROM generation_slots WHERE job_id = j.id
                                                 GROUP BY item_id HAVING bool_and(status = 'DONE')) d),
            items_failed = (SELECT count(DISTINCT item_id) FROM generation_slots
                             WHERE job_id = j.id AND status = 'FAILED'),
            errors = (SELECT coalesce(jsonb_agg(jsonb_build_object('itemId', f.id, 'externalId', f.external_id,
                                                                   'error', f.generation_error) ORDER BY f.id),
                                      '[]'::jsonb)
                        FROM (SELECT i.id, i.external_id, i.generation_error FROM items i
                               WHERE i.generation = 'FAILED'
                                 AND i.id IN (SELECT item_id FROM generation_slots
                                               WHERE job_id = j.id AND status = 'FAILED')
                               ORDER BY i.id LIMIT 50) f)""";
    private static final TypeReference<List<GenerationJobView.ItemError>> ERRORS = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Inject
    CampaignService campaigns;

    @Inject
    EndpointService endpoints;

    @Inject
    GeneratedResponses items;

    @Inject
    AuditLog audit;

    @Inject
    ObjectMapper json;

    @Inject
    Event<GenerationStarted> started;

    @Transactional
    public GenerationJobView start(long campaignId, GenerationRequest request, Long userId) {
        Campaign campaign = campaigns.get(campaignId);
        if (campaign.kind != CampaignKind.RANKING) {
            throw ProblemException.conflict("campaign " + campaignId + " is a " + campaign.kind
                    + " campaign; only RANKING campaigns have responses to generate");
        }
        int k = campaign.responsesPerItem;
        List<Long> slotEndpoints = validate(request, k);
        if (waiting(campaignId)[0] == 0) {
            throw ProblemException.conflict("no item of this campaign waits for responses: every item was "
                    + "imported with its responses or has them already");
        }
        // Serialises starts of one campaign; the unique index would refuse the second one anyway.
        em.createNativeQuery("SELECT id FROM campaigns WHERE id = ?1 FOR UPDATE").setParameter(1, campaignId)
                .getResultList();
        List<?> running = em.createNativeQuery(
                "SELECT id FROM generation_jobs WHERE campaign_id = ?1 AND status = 'RUNNING'")
                .setParameter(1, campaignId).getResultList();
        if (!running.isEmpty()) {
            throw ProblemException.conflict("generation job " + running.get(0) + " is still running for this "
                    + "campaign; wait for it or cancel it first");
        }
        long jobId = ((Number) em.createNativeQuery("""
                INSERT INTO generation_jobs (campaign_id, created_by, status, sources, temperature, max_tokens, seed)
                VALUES (?1, ?2, 'RUNNING', CAST(?3 AS jsonb), ?4, ?5, ?6) RETURNING id""")
                .setParameter(1, campaignId).setParameter(2, userId).setParameter(3, write(request.sources()))
                .setParameter(4, request.temperature()).setParameter(5, request.maxTokens())
                .setParameter(6, request.seed()).getSingleResult()).longValue();
        items.retryFailed(campaignId);
        Long[] endpointIds = slotEndpoints.toArray(Long[]::new);
        Integer[] slots = new Integer[k];
        for (int i = 0; i < k; i++) {
            slots[i] = i + 1;
        }
        // A slot already generated (by an earlier, cancelled job) is kept as it is and only joins this job.
        em.createNativeQuery("""
                INSERT INTO generation_slots (item_id, slot, job_id, endpoint_id, status)
                SELECT i.id, s.slot, ?2, s.endpoint, 'PENDING'
                  FROM items i CROSS JOIN unnest(CAST(?3 AS integer[]), CAST(?4 AS bigint[])) AS s(slot, endpoint)
                 WHERE i.campaign_id = ?1 AND i.generation IS NOT NULL
                ON CONFLICT (item_id, slot) DO UPDATE
                   SET job_id = EXCLUDED.job_id,
                       endpoint_id = CASE WHEN generation_slots.status = 'DONE' THEN generation_slots.endpoint_id
                                          ELSE EXCLUDED.endpoint_id END,
                       status = CASE WHEN generation_slots.status = 'DONE' THEN 'DONE' ELSE 'PENDING' END,
                       attempts = CASE WHEN generation_slots.status = 'DONE' THEN generation_slots.attempts
                                       ELSE 0 END,
                       next_attempt_at = now(), last_error = NULL,
                       claim = CASE WHEN generation_slots.status = 'RUNNING' THEN NULL
                                    ELSE generation_slots.claim END,
                       lease_expires_at = NULL""")
                .setParameter(1, campaignId).setParameter(2, jobId).setParameter(3, slots)
                .setParameter(4, endpointIds).executeUpdate();
        em.createNativeQuery("""
                UPDATE generation_jobs SET items = (SELECT count(DISTINCT item_id) FROM generation_slots
                                                     WHERE job_id = ?1) WHERE id = ?1""")
                .setParameter(1, jobId).executeUpdate();
        audit.record("generation.start", "campaign:" + campaignId, Map.of("job", jobId, "sources",
                request.sources().stream().map(s -> s.endpointId() + "x" + s.samples()).toList()));
        started.fire(new GenerationStarted(jobId));
        return get(jobId);
    }

    /** The endpoint of each slot 1..K, after checking every field of the request. */
    private List<Long> validate(GenerationRequest request, int k) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body {sources: [{endpointId, samples}], temperature?, "
                    + "maxTokens?, seed?} is required");
        }
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        List<Long> slots = new ArrayList<>();
        if (request.sources() == null || request.sources().isEmpty()) {
            errors.add("sources", "at least one {endpointId, samples}, the samples adding up to " + k);
        } else {
            for (int i = 0; i < request.sources().size(); i++) {
                GenerationRequest.Source source = request.sources().get(i);
                String where = "sources[" + i + "]";
                if (source == null || source.endpointId() == null) {
                    errors.add(where + ".endpointId", "required");
                    continue;
                }
                try {
                    endpoints.get(source.endpointId());
                } catch (ProblemException e) {
                    errors.add(where + ".endpointId", "no model endpoint with id " + source.endpointId());
                }
                if (source.samples() == null || source.samples() < 1 || source.samples() > k) {
                    errors.add(where + ".samples", "must be 1 to " + k);
                    continue;
                }
                for (int s = 0; s < source.samples(); s++) {
                    slots.add(source.endpointId());
                }
            }
            if (!errors.has("sources") && slots.size() != k && request.sources().stream().allMatch(
                    s -> s != null && s.samples() != null && s.samples() >= 1 && s.samples() <= k)) {
                errors.add("sources", "the samples add up to " + slots.size() + "; this campaign needs exactly "
                        + k + " responses per item");
            }
        }
        if (request.temperature() != null && !(request.temperature() >= 0 && request.temperature() <= 2)) {
            errors.add("temperature", "must be 0 to 2");
        }
        if (request.maxTokens() != null && (request.maxTokens() < 1 || request.maxTokens() > 1_000_000)) {
            errors.add("maxTokens", "must be 1 to 1000000");
        }
        errors.throwIfAny();
        return slots;
    }

    @Transactional
    public GenerationJobView cancel(long jobId) {
        GenerationJobView job = get(jobId);
        // Answers in flight at the cancel may still be stored for their items, but not counted for this job.
        int cancelled = em.createNativeQuery("UPDATE generation_jobs j SET status = 'CANCELLED', finished_at = "
                + "now(), " + FREEZE_OUTCOME + " WHERE j.id = ?1 AND j.status = 'RUNNING'").setParameter(1, jobId)
                .executeUpdate();
        if (cancelled == 0) {
            throw ProblemException.conflict("generation job " + jobId + " is " + job.status()
                    + "; only a RUNNING job can be cancelled");
        }
        audit.record("generation.cancel", "campaign:" + job.campaignId(), Map.of("job", jobId));
        return get(jobId);
    }

    @Transactional
    public GenerationJobView get(long jobId) {
        List<Object[]> rows = em.createNativeQuery("""
                SELECT j.id, j.campaign_id, j.status, j.sources::text, j.temperature, j.max_tokens, j.seed, j.items,
                       (SELECT count(*) FROM (SELECT item_id FROM generation_slots WHERE job_id = j.id
                                              GROUP BY item_id HAVING bool_and(status = 'DONE')) d),
                       (SELECT count(DISTINCT item_id) FROM generation_slots
                         WHERE job_id = j.id AND status = 'FAILED'),
                       j.requests, j.prompt_tokens, j.completion_tokens, j.created_at, j.finished_at,
                       j.items_done, j.items_failed, j.errors::text
                  FROM generation_jobs j WHERE j.id = ?1""", Object[].class).setParameter(1, jobId)
                .getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("no generation job with id " + jobId);
        }
        Object[] r = rows.get(0);
        if (r[15] != null) {
            // An ended job: its outcome as it was when it ended.
            r[8] = r[15];
            r[9] = r[16];
        }
        List<GenerationJobView.ItemError> errors = r[17] != null ? readErrors((String) r[17]) : liveErrors(jobId);
        return new GenerationJobView(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), (String) r[2],
                read((String) r[3]), r[4] == null ? null : ((Number) r[4]).doubleValue(),
                r[5] == null ? null : ((Number) r[5]).intValue(), r[6] == null ? null : ((Number) r[6]).longValue(),
                ((Number) r[7]).intValue(), ((Number) r[8]).longValue(), ((Number) r[9]).longValue(),
                ((Number) r[10]).intValue(), ((Number) r[11]).longValue(), ((Number) r[12]).longValue(), errors,
                time(r[13]), time(r[14]));
    }

    /** The failed items of a running job (or of one that ended before outcomes were kept), with their errors. */
    private List<GenerationJobView.ItemError> liveErrors(long jobId) {
        List<Object[]> failed = em.createNativeQuery("""
                SELECT i.id, i.external_id, i.generation_error FROM items i
                 WHERE i.generation = 'FAILED'
                   AND i.id IN (SELECT item_id FROM generation_slots WHERE job_id = ?1 AND status = 'FAILED')
                 ORDER BY i.id LIMIT 50""", Object[].class).setParameter(1, jobId).getResultList();
        return failed.stream().map(f -> new GenerationJobView.ItemError(((Number) f[0]).longValue(),
                (String) f[1], (String) f[2])).toList();
    }

    private List<GenerationJobView.ItemError> readErrors(String text) {
        try {
            return json.readValue(text, ERRORS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored errors are valid JSON", e);
        }
    }

    /** The campaign's latest jobs, newest first. */
    @Transactional
    public List<GenerationJobView> ofCampaign(long campaignId, int limit) {
        campaigns.get(campaignId);
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery(
                "SELECT id FROM generation_jobs WHERE campaign_id = ?1 ORDER BY id DESC LIMIT ?2")
                .setParameter(1, campaignId).setParameter(2, limit).getResultList();
        return ids.stream().map(id -> get(id.longValue())).toList();
    }

    /** How many of the campaign's items wait for responses, and how many of those failed. */
    @Transactional
    public long[] waiting(long campaignId) {
        Object[] row = (Object[]) em.createNativeQuery("""
                SELECT count(*), count(*) FILTER (WHERE generation = 'FAILED') FROM items
                 WHERE campaign_id = ?1 AND generation IS NOT NULL""", Object[].class)
                .setParameter(1, campaignId).getSingleResult();
        return new long[]{((Number) row[0]).longValue(), ((Number) row[1]).longValue()};
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<GenerationRequest.Source> read(String text) {
        try {
            return json.readValue(text, SOURCES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored sources are valid JSON", e);
        }
    }

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
        return ((Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
    }
}
