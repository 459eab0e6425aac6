package dev.ranklab.endpoints;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.ranklab.web.ProblemException;

/**
 * Keeps each endpoint's {@code maxConcurrency} and {@code requestsPerMinute} across every instance on the database:
 * a request may go out only after a row in endpoint_calls was inserted for it, and that insert happens with the
 * endpoint's row locked after counting the live rows (not finished, lease not run out) and those of the last
 * minute. The lock makes count-then-insert one step for all instances; the lease frees the permits of an instance
 * that died mid-request.
 */
@ApplicationScoped
public class EndpointPermits {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration MAX_WAIT_STEP = Duration.ofSeconds(1);

    @Inject
    EntityManager em;

    /** A permit taken, or how long to wait before asking again (no wait: the endpoint does not exist). */
    public record Attempt(Long callId, Duration retryIn) {
    }

    /** Blocks until the endpoint has room for one more request; returns the permit to release after it. */
    public long acquire(long endpointId) throws InterruptedException {
        return acquire(endpointId, null);
    }

    /**
     * Like {@link #acquire(long)}, but gives up after {@code maxWait} (null: never): then the answer is null.
     */
    public Long acquire(long endpointId, Duration maxWait) throws InterruptedException {
        long deadline = maxWait == null ? Long.MAX_VALUE : System.nanoTime() + maxWait.toNanos();
        while (true) {
            Attempt attempt = QuarkusTransaction.requiringNew().call(() -> tryAcquire(endpointId));
            if (attempt.callId() != null) {
                return attempt.callId();
            }
            if (attempt.retryIn() == null) {
                throw ProblemException.notFound("no model endpoint with id " + endpointId);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Thread.sleep(Math.min(Math.min(attempt.retryIn().toMillis(), MAX_WAIT_STEP.toMillis()),
                    Math.max(1, left / 1_000_000)));
        }
    }

    public void release(long callId) {
        QuarkusTransaction.requiringNew().run(() -> {
            commitWithoutWaitingForDisk(em);
            releaseInTransaction(callId);
        });
    }

    /**
     * Releases a permit in the caller's transaction, which should commit without waiting for the disk: a release
     * lost in a database crash only keeps the permit until its lease runs out.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void releaseInTransaction(long callId) {
        em.createNativeQuery("UPDATE endpoint_calls SET finished = true WHERE id = ?1").setParameter(1, callId)
                .executeUpdate();
    }

    /**
     * Lets the current transaction commit without waiting for its WAL to reach the disk (PostgreSQL's asynchronous
     * commit): it is as consistent and as visible to others at once, and only a database crash within a fraction of
     * a second may undo it. For bookkeeping whose loss is harmless and whose locks every request waits for.
     */
    public static void commitWithoutWaitingForDisk(EntityManager em) {
        em.createNativeQuery("SELECT set_config('synchronous_commit', 'off', true)").getSingleResult();
    }

    /**
     * Takes a permit in the caller's transaction if the endpoint has room now (it stays taken only if that
     * transaction commits); the endpoint's row stays locked until then.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Attempt tryAcquire(long endpointId) {
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = em.createNativeQuery("""
                SELECT max_concurrency, requests_per_minute, timeout_seconds FROM model_endpoints
                 WHERE id = ?1 FOR UPDATE""", Object[].class).setParameter(1, endpointId).getResultList();
        if (rows.isEmpty()) {
            // No exception here: it would mark the caller's transaction for rollback.
            return new Attempt(null, null);
        }
        Object[] endpoint = rows.get(0);
        int maxConcurrency = ((Number) endpoint[0]).intValue();
        Integer perMinute = endpoint[1] == null ? null : ((Number) endpoint[1]).intValue();
        int timeoutSeconds = ((Number) endpoint[2]).intValue();
        // clock_timestamp(), not now(): the transaction may have waited for the lock.
        Number live = (Number) em.createNativeQuery("""
                SELECT count(*) FROM endpoint_calls
                 WHERE endpoint_id = ?1 AND NOT finished AND expires_at > clock_timestamp()""")
                .setParameter(1, endpointId).getSingleResult();
        if (live.intValue() >= maxConcurrency) {
            return new Attempt(null, POLL);
        }
        if (perMinute != null) {
            Object[] window = (Object[]) em.createNativeQuery("""
                    SELECT count(*), extract(epoch FROM min(started_at) + interval '1 minute' - clock_timestamp())
                      FROM endpoint_calls
                     WHERE endpoint_id = ?1 AND started_at > clock_timestamp() - interval '1 minute'""",
                    Object[].class).setParameter(1, endpointId).getSingleResult();
            if (((Number) window[0]).intValue() >= perMinute) {
                double seconds = window[1] == null ? 0.05 : Math.max(0.05, ((Number) window[1]).doubleValue());
                return new Attempt(null, Duration.ofMillis((long) (seconds * 1000)));
            }
        }
        Number id = (Number) em.createNativeQuery("""
                INSERT INTO endpoint_calls (endpoint_id, started_at, expires_at)
                VALUES (?1, clock_timestamp(), clock_timestamp() + make_interval(secs => ?2)) RETURNING id""")
                .setParameter(1, endpointId).setParameter(2, timeoutSeconds + 30).getSingleResult();
        return new Attempt(id.longValue(), Duration.ZERO);
    }

    /**
     * Lets the holder of a permit send its next request under the same permit, in the caller's transaction, when
     * that keeps both limits without the endpoint's lock: the endpoint has no requestsPerMinute (each request would
     * have to be counted) and is not over its maxConcurrency (it may have been lowered). The permit's lease starts
     * again. False: release it and take a new one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean handOver(long endpointId, long callId) {
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = em.createNativeQuery("""
                SELECT e.max_concurrency, e.requests_per_minute, e.timeout_seconds,
                       (SELECT count(*) FROM endpoint_calls c
                         WHERE c.endpoint_id = e.id AND NOT c.finished AND c.expires_at > clock_timestamp())
                  FROM model_endpoints e WHERE e.id = ?1""", Object[].class).setParameter(1, endpointId)
                .getResultList();
        if (rows.isEmpty() || rows.get(0)[1] != null
                || ((Number) rows.get(0)[3]).intValue() > ((Number) rows.get(0)[0]).intValue()) {
            return false;
        }
        return em.createNativeQuery("""
                UPDATE endpoint_calls SET expires_at = clock_timestamp() + make_interval(secs => ?2)
                 WHERE id = ?1 AND NOT finished AND expires_at > clock_timestamp()""")
                .setParameter(1, callId).setParameter(2, ((Number) rows.get(0)[2]).intValue() + 30)
                .executeUpdate() == 1;
    }

    /** Forgets calls that no longer count toward either limit. */
    @Scheduled(every = "1m", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOldCalls() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                DELETE FROM endpoint_calls
                 WHERE started_at < now() - interval '2 minutes' AND (finished OR expires_at < now())""")
                .executeUpdate());
    }
}
