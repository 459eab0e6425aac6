package dev.ranklab.export;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import dev.ranklab.database.InstanceLiveness;

/**
 * Jobs whose instance died (a crash, a kill, a restart, a database restart that cut its connections) can never
 * finish: says so instead of showing them as queued or running forever. Looks at startup and then every
 * {@code ranklab.export.sweep-every} (half a minute), on every instance; a job is abandoned when the instance recorded
 * as its runner no longer holds its liveness lock, which PostgreSQL drops the moment that instance's connection closes.
 */
@ApplicationScoped
class AbandonedExportJobs {

    private static final Logger LOG = Logger.getLogger(AbandonedExportJobs.class);

    @Inject
    InstanceLiveness liveness;

    @Inject
    ExportJobFiles files;

    void onStart(@Observes StartupEvent event) {
        sweep();
        files.removeLeftoverParts();
    }

    @Scheduled(every = "${ranklab.export.sweep-every:30s}", delayed = "${ranklab.export.sweep-every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int failed = failAbandoned();
        if (failed > 0) {
            LOG.infof("%d export job(s) whose instance stopped marked FAILED", failed);
        }
    }

    int failAbandoned() {
        // Renews this instance's own lock first, so a sweep after a database restart cannot fail its own jobs.
        liveness.key();
        return QuarkusTransaction.requiringNew().call(() -> ExportJob.getEntityManager().createNativeQuery(
                "UPDATE export_jobs SET status = 'FAILED', finished_at = now(), error = ?1"
                        + " WHERE status IN ('QUEUED', 'RUNNING') AND NOT " + InstanceLiveness.alive("runner"))
                .setParameter(1, "interrupted: the instance running it stopped; start the export again")
                .executeUpdate());
    }
}
