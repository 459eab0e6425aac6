package dev.ranklab.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.web.ProblemException;

/**
 * Where export jobs keep their files under the data directory: {@code export-<id>.part} while a job writes, renamed to
 * {@code export-<id>.<kind>} once complete, the only name a download reads.
 */
@ApplicationScoped
class ExportJobFiles {

    private static final Logger LOG = Logger.getLogger(ExportJobFiles.class);

    @Inject
    RanklabConfig config;

    /** The finished file of a completed job. */
    Path finished(ExportJob job) {
        if (job.status != ExportJob.Status.COMPLETED) {
            throw ProblemException.conflict("export job " + job.id + " is " + job.status
                    + "; its file can be downloaded once it is COMPLETED");
        }
        Path path = finished(job.id, job.file);
        if (!Files.isRegularFile(path)) {
            throw ProblemException.notFound("the file of export job " + job.id + " is no longer on this server");
        }
        return path;
    }

    /** The name a job's file gets once complete. */
    Path finished(long id, String kind) {
        return directory().resolve("export-" + id + "." + kind);
    }

    /** The name a job's file has while it is written. */
    Path part(long id) {
        return directory().resolve("export-" + id + ".part");
    }

    static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // the .part name is never served, so a leftover is only untidy
        }
    }

    /** A {@code .part} file whose job is not running any more is never finished or served: reclaim its space. */
    void removeLeftoverParts() {
        Path dir = directory();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var parts = Files.newDirectoryStream(dir, "export-*.part")) {
            for (Path part : parts) {
                String name = part.getFileName().toString();
                long id = Long.parseLong(name.substring("export-".length(), name.length() - ".part".length()));
                ExportJob job = QuarkusTransaction.requiringNew().call(() -> ExportJob.<ExportJob>findById(id));
                if (job == null || !job.status.isUnfinished()) {
                    Files.deleteIfExists(part);
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("could not tidy unfinished export files", e);
        }
    }

    private Path directory() {
        return Path.of(config.dataDir(), "exports");
    }
}
