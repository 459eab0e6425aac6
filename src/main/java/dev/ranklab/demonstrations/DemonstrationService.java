package dev.ranklab.demonstrations;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.items.Item;
import dev.ranklab.web.InvalidInputException;

/**
 * Validates demonstrations against the campaign's length limits and stores them exactly as written: whitespace at
 * either end (a trailing newline, an indented code block at the start) is part of the answer a model learns from.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DemonstrationService {

    @Inject
    EntityManager em;

    public String validate(Campaign campaign, String demonstration) {
        if (demonstration == null || demonstration.isBlank()) {
            throw InvalidInputException.of("demonstration", "is required: the answer you would want the assistant "
                    + "to give");
        }
        // Only the limits count the trimmed text, so that padding neither fills nor escapes them.
        String trimmed = demonstration.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < campaign.demonstrationMinChars) {
            throw InvalidInputException.of("demonstration", "must be at least " + campaign.demonstrationMinChars
                    + " characters, got " + length);
        }
        if (length > campaign.demonstrationMaxChars) {
            throw InvalidInputException.of("demonstration", "must be at most " + campaign.demonstrationMaxChars
                    + " characters, got " + length);
        }
        if (demonstration.indexOf('\0') >= 0) {
            throw InvalidInputException.of("demonstration", "must not contain NUL characters");
        }
        return demonstration;
    }

    public Demonstration store(long taskId, Item item, long annotatorId, String text) {
        Demonstration stored = new Demonstration();
        stored.taskId = taskId;
        stored.itemId = item.id;
        stored.campaignId = item.campaignId;
        stored.annotatorId = annotatorId;
        stored.text = text;
        stored.submittedAt = OffsetDateTime.now();
        stored.revision = 1;
        stored.persist();
        return stored;
    }

    /** A task's demonstration, its row locked until the transaction ends (null when the task stored none). */
    public Demonstration lockByTask(long taskId) {
        return Demonstration.<Demonstration>find("taskId", taskId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /**
     * Makes {@code text} the latest revision of a demonstration whose row the caller holds locked, after copying the
     * version it replaces into demonstration_revisions (see RankingService.revise).
     */
    public void revise(Demonstration demonstration, String text, String key) {
        em.createNativeQuery("""
                INSERT INTO demonstration_revisions (demonstration_id, revision, text, made_at, revision_key)
                SELECT id, revision, text, coalesce(revised_at, submitted_at), revision_key
                  FROM demonstrations WHERE id = ?1
                """).setParameter(1, demonstration.id).executeUpdate();
        demonstration.text = text;
        demonstration.revision = demonstration.revision + 1;
        demonstration.revisedAt = OffsetDateTime.now();
        demonstration.revisionKey = key;
    }

    /** The revision of this demonstration that the request with this Idempotency-Key made, or null if none did. */
    public Integer revisionMadeWith(Demonstration demonstration, String key) {
        if (key.equals(demonstration.revisionKey)) {
            return demonstration.revision;
        }
        List<?> found = em.createNativeQuery("SELECT revision FROM demonstration_revisions "
                + "WHERE demonstration_id = ?1 AND revision_key = ?2")
                .setParameter(1, demonstration.id).setParameter(2, key).getResultList();
        return found.isEmpty() ? null : ((Number) found.get(0)).intValue();
    }
}
