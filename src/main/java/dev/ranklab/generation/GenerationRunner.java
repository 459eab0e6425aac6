package dev.ranklab.generation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.ranklab.endpoints.ChatClient;
import dev.ranklab.endpoints.EndpointPermits;
import dev.ranklab.endpoints.EndpointService;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.items.GeneratedResponses;
import dev.ranklab.web.ProblemException;

/**
 * Works through the slots of running generation jobs, on every instance at once. A worker claims one due slot
 * together with a permit of its endpoint, in one transaction (so a slot is only claimed when its request may go
 * out now), sends the request, and stores the answer only if it still holds the claim. A slot whose claim's lease
 * ran out (the instance died mid-request) is due again, which is how a job carries on after a crash; the slot's
 * primary key, the claim token and a trigger make sure each (item, slot) is stored once.
 */
@ApplicationScoped
public class GenerationRunner {

    private static final Logger LOG = Logger.getLogger(GenerationRunner.class);
    private static final int CANDIDATES = 16;
    /** A job is complete when none of its slots is open. */
    private static final String NOTHING_OPEN = """
            AND NOT EXISTS (SELECT 1 FROM generation_slots s
                             WHERE s.job_id = j.id AND s.status IN ('PENDING', 'RUNNING'))""";
    private static final TypeReference<List<ChatMessage>> MESSAGES = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Inject
    EndpointService endpoints;

    @Inject
    EndpointPermits permits;

    @Inject
    GeneratedResponses items;

    @Inject
    GenerationConfig config;

    @Inject
    ObjectMapper json;

    private ExecutorService pool;
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean stopping;

    /** A slot this worker holds, with everything its request needs. */
    record Claimed(long itemId, int slot, long jobId, EndpointService.Target target, UUID claim, long permit,
            int attempts, int k, String prompt, Double temperature, Integer maxTokens, Long seed) {
    }

    @PostConstruct
    void start() {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread t = new Thread(r, "generation-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        stopping = true;
        pool.shutdownNow();
    }

    /** Finishes jobs with nothing left to do, and puts workers on the running ones. */
    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pump() {
        boolean running = QuarkusTransaction.requiringNew().call(() -> {
            failSlotsWithoutEndpoint();
            em.createNativeQuery("UPDATE generation_jobs j SET status = 'COMPLETED', finished_at = now(), "
                    + GenerationService.FREEZE_OUTCOME + " WHERE j.status = 'RUNNING' " + NOTHING_OPEN)
                    .executeUpdate();
            return !em.createNativeQuery("SELECT 1 FROM generation_jobs WHERE status = 'RUNNING' LIMIT 1")
                    .getResultList().isEmpty();
        });
        if (running) {
            startWorkers();
        }
    }

    /** A job just started gets its workers now, not at the next round of {@link #pump()}. */
    void onStarted(@Observes(during = TransactionPhase.AFTER_SUCCESS) GenerationStarted started) {
        startWorkers();
    }

    /**
     * Starts one more worker, if the instance has room for it. The workers grow one at a time, each after a claim
     * that succeeded: a worker that finds nothing it may send ends, so there are about as many as the endpoints'
     * limits let send, not a crowd queueing for their locks.
     */
    private void startWorkers() {
        if (!stopping && busy.incrementAndGet() <= config.workers()) {
            pool.submit(this::work);
        } else {
            busy.decrementAndGet();
        }
    }

    /**
     * Claims and runs slots until none is due that may go out now. After each answer the worker keeps its permit
     * for the next due slot of the same endpoint where it may ({@link EndpointPermits#handOver}): then it does not
     * queue for the endpoint's lock with every other worker.
     */
    private void work() {
        try {
            Claimed claimed = null;
            while (!stopping) {
                if (claimed == null) {
                    claimed = QuarkusTransaction.requiringNew().call(this::claim);
                    if (claimed == null) {
                        return;
                    }
                    startWorkers();
                }
                claimed = run(claimed);
            }
        } catch (RuntimeException e) {
            LOG.warn("a generation worker stopped on an error; the next round starts another", e);
        } finally {
            busy.decrementAndGet();
        }
    }

    private Claimed claim() {
        // The claim holds the endpoint's row lock (its permits) until it commits, so every worker of every instance
        // waits for this commit: it does not wait for the disk. A claim or permit lost in a database crash only
        // makes the slot due again, and a worker stores only under a claim it still holds.
        EndpointPermits.commitWithoutWaitingForDisk(em);
        @SuppressWarnings("unchecked")
        List<Object[]> due = em.createNativeQuery("""
                SELECT s.item_id, s.slot, s.endpoint_id FROM generation_slots s
                  JOIN generation_jobs j ON j.id = s.job_id AND j.status = 'RUNNING'
                 WHERE s.endpoint_id IS NOT NULL
                   AND ((s.status = 'PENDING' AND s.next_attempt_at <= now())
                        OR (s.status = 'RUNNING' AND s.lease_expires_at < now()))
                 ORDER BY s.next_attempt_at, s.item_id, s.slot
                 LIMIT ?1 FOR UPDATE OF s SKIP LOCKED""", Object[].class).setParameter(1, CANDIDATES)
                .getResultList();
        // Endpoints are tried (and their rows locked, until this transaction ends) in ascending id order: two
        // workers locking them in different orders deadlocked.
        List<Long> endpointIds = due.stream().map(slot -> ((Number) slot[2]).longValue()).distinct().sorted()
                .toList();
        for (long endpointId : endpointIds) {
            EndpointPermits.Attempt permit = permits.tryAcquire(endpointId);
            if (permit.callId() == null) {
                continue;
            }
            Object[] slot = due.stream().filter(s -> ((Number) s[2]).longValue() == endpointId).findFirst()
                    .orElseThrow();
            return claimSlot(((Number) slot[0]).longValue(), ((Number) slot[1]).intValue(), endpointId,
                    permit.callId());
        }
        return null;
    }

    /** Marks a slot locked by this transaction as this worker's, under the given permit. */
    private Claimed claimSlot(long itemId, int slot, long endpointId, long permit) {
        UUID token = UUID.randomUUID();
        // The client gives up on a request after timeoutSeconds (+5 s): a lease of timeoutSeconds + 15 s runs
        // out only when the worker holding it has stored its answer, failed, or died with its instance.
        Object[] row = (Object[]) em.createNativeQuery("""
                UPDATE generation_slots s
                   SET status = 'RUNNING', claim = ?3,
                       lease_expires_at = now() + make_interval(secs => e.timeout_seconds + 15)
                  FROM model_endpoints e, generation_jobs j, items i, campaigns c
                 WHERE s.item_id = ?1 AND s.slot = ?2 AND e.id = s.endpoint_id AND j.id = s.job_id
                   AND i.id = s.item_id AND c.id = i.campaign_id
                RETURNING s.job_id, s.attempts, c.responses_per_item, i.prompt::text, j.temperature,
                          j.max_tokens, j.seed""", Object[].class)
                .setParameter(1, itemId).setParameter(2, slot).setParameter(3, token).getSingleResult();
        return new Claimed(itemId, slot, ((Number) row[0]).longValue(), endpoints.target(endpointId), token, permit,
                ((Number) row[1]).intValue(), ((Number) row[2]).intValue(), (String) row[3],
                row[4] == null ? null : ((Number) row[4]).doubleValue(),
                row[5] == null ? null : ((Number) row[5]).intValue(),
                row[6] == null ? null : ((Number) row[6]).longValue());
    }

    /** The next due slot of the endpoint, claimed under the permit its worker already holds; null if none may. */
    private Claimed claimNextUnderSamePermit(Claimed done) {
        long endpointId = done.target().id();
        @SuppressWarnings("unchecked")
        List<Object[]> due = em.createNativeQuery("""
                SELECT s.item_id, s.slot FROM generation_slots s
                  JOIN generation_jobs j ON j.id = s.job_id AND j.status = 'RUNNING'
                 WHERE s.endpoint_id = ?1
                   AND ((s.status = 'PENDING' AND s.next_attempt_at <= now())
                        OR (s.status = 'RUNNING' AND s.lease_expires_at < now()))
                 ORDER BY s.next_attempt_at, s.item_id, s.slot
                 LIMIT 1 FOR UPDATE OF s SKIP LOCKED""", Object[].class).setParameter(1, endpointId)
                .getResultList();
        if (due.isEmpty() || !permits.handOver(endpointId, done.permit())) {
            return null;
        }
        return claimSlot(((Number) due.get(0)[0]).longValue(), ((Number) due.get(0)[1]).intValue(), endpointId,
                done.permit());
    }

    /** Sends the slot's request and stores the outcome; returns the next slot claimed under its permit, if any. */
    private Claimed run(Claimed c) {
        ChatClient.Completion completion = null;
        boolean sent = false;
        try {
            // A fixed seed gives each (item, slot) its own, reproducible seed.
            Long seed = c.seed() == null ? null : c.seed() + c.itemId() * 1000 + c.slot();
            sent = true;
            completion = endpoints.send(c.target(), messages(c.prompt()),
                    new ChatClient.Sampling(c.temperature(), null, c.maxTokens(), seed));
            ChatClient.Completion answer = completion;
            QuarkusTransaction.requiringNew().run(() -> store(c, answer, c.target().model()));
        } catch (ChatClient.Failure e) {
            QuarkusTransaction.requiringNew().run(() -> failed(c, e.getMessage(), e.retryable(), e.retryAfter()));
        } catch (ProblemException e) {
            QuarkusTransaction.requiringNew().run(() -> failed(c, e.detail(), false, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return releaseAndCount(c, sent, completion);
    }

    /** Stores the answer if this worker still holds the slot, and opens the item once it has all K. */
    private void store(Claimed c, ChatClient.Completion completion, String model) {
        // The item's row lock orders the last two slots of an item finishing at once: the second sees the first.
        items.lockWaiting(c.itemId());
        int stored = em.createNativeQuery("""
                UPDATE generation_slots
                   SET status = 'DONE', text = ?4, model = ?5, finish_reason = ?6, claim = NULL,
                       lease_expires_at = NULL, last_error = NULL, attempts = attempts + 1
                 WHERE item_id = ?1 AND slot = ?2 AND claim = ?3 AND status = 'RUNNING'""")
                .setParameter(1, c.itemId()).setParameter(2, c.slot()).setParameter(3, c.claim())
                .setParameter(4, completion.text().isBlank() ? "(empty)" : completion.text())
                .setParameter(5, model).setParameter(6, completion.finishReason()).executeUpdate();
        if (stored == 0) {
            // Another worker took the slot over after this one's lease ran out; its answer counts, not ours.
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> done = em.createNativeQuery("""
                SELECT slot, text, model FROM generation_slots WHERE item_id = ?1 AND status = 'DONE'
                 ORDER BY slot""", Object[].class).setParameter(1, c.itemId()).getResultList();
        if (done.size() == c.k()) {
            List<Map<String, Object>> responses = new ArrayList<>();
            for (Object[] row : done) {
                responses.add(Map.of("id", "r" + row[0], "text", row[1], "model", row[2]));
            }
            try {
                items.fill(c.itemId(), json.writeValueAsString(responses));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Ends the job once none of its slots is open, as soon as its last answer was stored. Called after the answer's
     * own transaction committed: of two last answers stored at once, the second to get here sees both.
     */
    private void completeIfDone(long jobId) {
        em.createNativeQuery("UPDATE generation_jobs j SET status = 'COMPLETED', finished_at = now(), "
                + GenerationService.FREEZE_OUTCOME + " WHERE j.id = ?1 AND j.status = 'RUNNING' " + NOTHING_OPEN)
                .setParameter(1, jobId).executeUpdate();
    }

    /** Schedules another attempt with backoff (a longer Retry-After wins), or marks the item failed. */
    private void failed(Claimed c, String error, boolean retryable, Duration retryAfter) {
        int attempts = c.attempts() + 1;
        String words = "response r" + c.slot() + " (" + c.target().name() + "): " + error;
        if (retryable && attempts < config.maxAttempts()) {
            long backoff = Math.min(config.retryMax().toMillis(),
                    config.retryBase().toMillis() << Math.min(attempts - 1, 20));
            long wait = Math.min(config.retryMax().toMillis(),
                    Math.max(backoff, retryAfter == null ? 0 : retryAfter.toMillis()));
            em.createNativeQuery("""
                    UPDATE generation_slots
                       SET status = 'PENDING', attempts = ?4, claim = NULL, lease_expires_at = NULL, last_error = ?5,
                           next_attempt_at = now() + make_interval(secs => ?6)
                     WHERE item_id = ?1 AND slot = ?2 AND claim = ?3 AND status = 'RUNNING'""")
                    .setParameter(1, c.itemId()).setParameter(2, c.slot()).setParameter(3, c.claim())
                    .setParameter(4, attempts).setParameter(5, words).setParameter(6, wait / 1000.0)
                    .executeUpdate();
        } else {
            // The item's row lock orders two of its slots failing at once: the second sees the first's error.
            items.lockWaiting(c.itemId());
            int marked = em.createNativeQuery("""
                    UPDATE generation_slots
                       SET status = 'FAILED', attempts = ?4, claim = NULL, lease_expires_at = NULL, last_error = ?5
                     WHERE item_id = ?1 AND slot = ?2 AND claim = ?3 AND status = 'RUNNING'""")
                    .setParameter(1, c.itemId()).setParameter(2, c.slot()).setParameter(3, c.claim())
                    .setParameter(4, attempts)
                    .setParameter(5, words + (attempts > 1 ? " (" + attempts + " attempts)" : "")).executeUpdate();
            if (marked == 1) {
                failItem(c.itemId());
            }
        }
    }

    /**
     * Adds the request to the job's statistics and hands the permit on to the endpoint's next due slot, or gives it
     * back, in a transaction of its own: every worker updates the job's one row, so it is locked only for a moment,
     * and the commit does not wait for the disk (a database crash may lose a few counts, keep a permit until its
     * lease ends, or undo a claim, which makes its slot due again; never a response).
     */
    private Claimed releaseAndCount(Claimed c, boolean sent, ChatClient.Completion completion) {
        return QuarkusTransaction.requiringNew().call(() -> {
            EndpointPermits.commitWithoutWaitingForDisk(em);
            // The job's row last: every worker waits for its lock, so it is held from here to the commit only.
            Claimed next = stopping || Thread.currentThread().isInterrupted() ? null : claimNextUnderSamePermit(c);
            if (next == null) {
                permits.releaseInTransaction(c.permit());
                completeIfDone(c.jobId());
            }
            if (sent) {
                em.createNativeQuery("""
                        UPDATE generation_jobs SET requests = requests + 1, prompt_tokens = prompt_tokens + ?2,
                               completion_tokens = completion_tokens + ?3 WHERE id = ?1""")
                        .setParameter(1, c.jobId())
                        .setParameter(2, completion == null ? 0 : completion.promptTokens())
                        .setParameter(3, completion == null ? 0 : completion.completionTokens()).executeUpdate();
            }
            return next;
        });
    }

    /** Slots whose endpoint was removed cannot be generated: their items fail with that said. */
    private void failSlotsWithoutEndpoint() {
        @SuppressWarnings("unchecked")
        List<Number> orphaned = em.createNativeQuery("""
                UPDATE generation_slots s SET status = 'FAILED', claim = NULL, lease_expires_at = NULL,
                       last_error = 'response r' || s.slot || ': its model endpoint was removed before it was generated'
                  FROM generation_jobs j
                 WHERE j.id = s.job_id AND j.status = 'RUNNING' AND s.endpoint_id IS NULL
                   AND s.status IN ('PENDING', 'RUNNING')
                RETURNING s.item_id""").getResultList();
        for (Number item : orphaned) {
            failItem(item.longValue());
        }
    }

    /** Marks the item failed with every failed slot's error, not only the last one's. */
    private void failItem(long itemId) {
        @SuppressWarnings("unchecked")
        List<String> errors = em.createNativeQuery("""
                SELECT last_error FROM generation_slots WHERE item_id = ?1 AND status = 'FAILED'
                 ORDER BY slot""").setParameter(1, itemId).getResultList();
        items.fail(itemId, String.join("; ", errors));
    }

    private List<ChatMessage> messages(String prompt) {
        try {
            return json.readValue(prompt, MESSAGES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored prompts are valid JSON", e);
        }
    }
}
