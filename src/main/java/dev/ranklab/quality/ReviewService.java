package dev.ranklab.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.items.ItemResponse;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * The review queue: items whose annotators disagree, or that someone marked unrankable, or with rejected work.
 * An admin rejects a ranking with a reason (it leaves exports, agreement and training, and can be restored) and
 * marks the item reviewed.
 */
@ApplicationScoped
public class ReviewService {

    static final int MAX_REASON = 1_000;

    /** One item in the queue. */
    public record DisputedItem(long itemId, String externalId, String prompt, int rankings, int rejected,
            Double agreement, int unrankable, boolean reviewed) {

        /** The agreement as the page shows it. */
        public String agreementText() {
            return AgreementView.percent(agreement);
        }
    }

    /** One annotator's work on the item, as the reviewer sees it. */
    @Schema(name = "AnnotatorWork")
    public record Work(Long rankingId, long taskId, String annotator, String outcome, String reason,
            List<List<String>> tiers, Map<String, Integer> ratings, Map<String, List<String>> flags, String comment,
            boolean rejected, String rejectionReason, Double consensusAgreement) {

        /** The rating given to a response, or a dash. */
        public String ratingOf(String responseId) {
            Integer rating = ratings == null ? null : ratings.get(responseId);
            return rating == null ? "–" : rating.toString();
        }

        /** The flags set on a response, comma-separated, or empty. */
        public String flagsOf(String responseId) {
            List<String> set = flags == null ? null : flags.get(responseId);
            return set == null ? "" : String.join(", ", set);
        }

        /** The share of response pairs this ranking orders as the consensus does, as the page shows it. */
        public String consensusText() {
            return AgreementView.percent(consensusAgreement);
        }
    }

    /**
     * An item with everything its annotators did, the consensus of their accepted rankings (the export's merge),
     * the serving reward model's scores of its responses, and its reference ranking if it is a gold item.
     */
    public record ItemReview(long itemId, long campaignId, String externalId, List<ChatMessage> prompt,
            List<ItemResponse> responses, Double agreement, boolean reviewed, List<Work> work,
            List<List<String>> goldRanking, List<List<String>> consensus, Integer scoreVersion,
            Map<String, Float> scores) {

        /** A ranking as people write it: "r2 > r1 = r3". */
        public static String written(List<List<String>> tiers) {
            return tiers == null
                    ? ""
                    : tiers.stream().map(tier -> String.join(" = ", tier)).collect(Collectors.joining(" > "));
        }

        public String goldText() {
            return written(goldRanking);
        }

        /** The start of a response's text, to tell the responses apart in a ranking. */
        public String excerptOf(String responseId) {
            return responses.stream().filter(r -> r.id().equals(responseId)).findFirst()
                    .map(r -> r.text().length() <= 90 ? r.text() : r.text().substring(0, 89).strip() + "…")
                    .orElse("");
        }

        public String consensusText() {
            return written(consensus);
        }

        /** A response's score as the page shows it, or a dash. */
        public String scoreOf(String responseId) {
            Float score = scores.get(responseId);
            return score == null ? "–" : String.format(Locale.ROOT, "%.2f", score);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    CampaignService campaigns;

    @Inject
    AuditLog audit;

    @Inject
    ObjectMapper json;

    @Transactional
    public List<DisputedItem> queue(long campaignId, double threshold, boolean includeReviewed) {
        Campaign campaign = campaigns.get(campaignId);
        if (campaign.kind != CampaignKind.RANKING) {
            throw ProblemException.conflict("campaign " + campaignId + " collects demonstrations; review works on "
                    + "rankings");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw ProblemException.badRequest("threshold must be a number from 0 to 1");
        }
        List<Object[]> rows = em.createNativeQuery("""
                SELECT * FROM (
                    SELECT i.id, i.external_id, left(i.prompt -> -1 ->> 'content', 160),
                           (SELECT count(*) FROM rankings r WHERE r.item_id = i.id)::int AS rankings,
                           (SELECT count(*) FROM rankings r WHERE r.item_id = i.id AND r.rejected_at IS NOT NULL)::int
                               AS rejected,
                           i.agreement,
                           (SELECT count(*) FROM tasks t WHERE t.item_id = i.id AND t.status = 'UNRANKABLE')::int
                               AS unrankable,
                           i.reviewed_at IS NOT NULL AS reviewed
                      FROM items i
                     WHERE i.campaign_id = ?1 AND i.gold_ranking IS NULL AND (?3 OR i.reviewed_at IS NULL)
                       -- Only items someone ranked or reported: the counts are not worth running for the
                       -- (usually many) items nobody has finished yet.
                       AND EXISTS (SELECT 1 FROM tasks t WHERE t.item_id = i.id
                                   AND t.status IN ('SUBMITTED', 'UNRANKABLE'))) q
                 WHERE q.agreement < ?2 OR q.unrankable > 0 OR q.rejected > 0
                 ORDER BY q.agreement ASC NULLS LAST, q.unrankable DESC, q.id
                 LIMIT 500
                """, Object[].class).setParameter(1, campaignId).setParameter(2, threshold)
                .setParameter(3, includeReviewed).getResultList();
        List<DisputedItem> items = new ArrayList<>();
        for (Object[] row : rows) {
            items.add(new DisputedItem(((Number) row[0]).longValue(), (String) row[1], (String) row[2],
                    ((Number) row[3]).intValue(), ((Number) row[4]).intValue(),
                    row[5] == null ? null : ((Number) row[5]).doubleValue(), ((Number) row[6]).intValue(),
                    (Boolean) row[7]));
        }
        return items;
    }

    /**
     * The consensus of each item's accepted rankings, merged as the consensus export merges them, for a page of the
     * item browser; items without an accepted ranking are left out.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<Long, String> consensus(List<Long> itemIds) {
        Map<Long, String> written = new HashMap<>();
        if (itemIds.isEmpty()) {
            return written;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT r.item_id, r.tiers::text,
                       (SELECT json_agg(e ->> 'id') FROM jsonb_array_elements(i.responses) e)::text
                  FROM rankings r JOIN items i ON i.id = r.item_id
                 WHERE r.item_id IN (:ids) AND r.rejected_at IS NULL
                 ORDER BY r.item_id, r.id""").setParameter("ids", itemIds).getResultList();
        Map<Long, List<List<List<String>>>> rankings = new LinkedHashMap<>();
        Map<Long, List<String>> responseIds = new HashMap<>();
        try {
            for (Object[] row : rows) {
                long item = ((Number) row[0]).longValue();
                rankings.computeIfAbsent(item, key -> new ArrayList<>()).add(json.readValue((String) row[1], TIERS));
                if (!responseIds.containsKey(item)) {
                    responseIds.put(item, json.readValue((String) row[2], new TypeReference<List<String>>() {
                    }));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rankings are not JSON", e);
        }
        rankings.forEach((item, tiers) -> written.put(item,
                ItemReview.written(Consensus.merge(responseIds.get(item), tiers).tiers())));
        return written;
    }

    @Transactional
    public ItemReview item(long itemId) {
        List<Object[]> rows = em.createNativeQuery("""
                SELECT i.id, i.campaign_id, i.external_id, i.prompt::text, i.responses::text, i.agreement,
                       i.reviewed_at IS NOT NULL, i.gold_ranking::text
                  FROM items i WHERE i.id = ?1
                """, Object[].class).setParameter(1, itemId).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("no item with id " + itemId);
        }
        Object[] item = rows.get(0);
        List<Object[]> tasks = em.createNativeQuery("""
                SELECT r.id, t.id, u.username, t.status, t.reason, r.tiers::text, r.ratings::text, r.flags::text,
                       r.comment, r.rejected_at IS NOT NULL, r.rejection_reason
                  FROM tasks t
                  JOIN users u ON u.id = t.annotator_id
                  LEFT JOIN rankings r ON r.task_id = t.id
                 WHERE t.item_id = ?1 AND t.status IN ('SUBMITTED', 'SKIPPED', 'UNRANKABLE')
                 ORDER BY t.finished_at, t.id
                """, Object[].class).setParameter(1, itemId).getResultList();
        try {
            List<ItemResponse> responses = json.readValue((String) item[4], new TypeReference<List<ItemResponse>>() {
            });
            List<String> responseIds = responses.stream().map(ItemResponse::id).toList();
            // The consensus of the accepted rankings, as the consensus export merges them.
            List<List<List<String>>> accepted = new ArrayList<>();
            for (Object[] t : tasks) {
                if (t[5] != null && !Boolean.TRUE.equals(t[9])) {
                    accepted.add(json.readValue((String) t[5], TIERS));
                }
            }
            List<List<String>> consensus = accepted.isEmpty()
                    ? null
                    : Consensus.merge(responseIds, accepted).tiers();
            List<Work> work = new ArrayList<>();
            for (Object[] t : tasks) {
                Double withConsensus = null;
                if (t[5] != null && consensus != null) {
                    long[] counts = Agreement.compare(Agreement.tiers(json.readValue((String) t[5], TIERS)),
                            Agreement.tiers(consensus), responseIds.stream().sorted().toList());
                    withConsensus = counts[1] == 0 ? null : (double) counts[0] / counts[1];
                }
                work.add(new Work(t[0] == null ? null : ((Number) t[0]).longValue(), ((Number) t[1]).longValue(),
                        (String) t[2], (String) t[3], (String) t[4],
                        t[5] == null ? null : json.readValue((String) t[5], TIERS),
                        t[6] == null ? null : json.readValue((String) t[6], RATINGS),
                        t[7] == null ? null : json.readValue((String) t[7], FLAGS),
                        (String) t[8], Boolean.TRUE.equals(t[9]), (String) t[10], withConsensus));
            }
            Map<String, Float> scores = new HashMap<>();
            Integer scoreVersion = null;
            List<Object[]> scored = em.createNativeQuery("""
                    SELECT s.response_id, s.score, s.version FROM response_scores s
                      JOIN reward_models m ON m.version = s.version AND m.promoted
                     WHERE s.item_id = ?1""", Object[].class).setParameter(1, itemId).getResultList();
            for (Object[] row : scored) {
                scores.put((String) row[0], ((Number) row[1]).floatValue());
                scoreVersion = ((Number) row[2]).intValue();
            }
            return new ItemReview(((Number) item[0]).longValue(), ((Number) item[1]).longValue(), (String) item[2],
                    json.readValue((String) item[3], new TypeReference<List<ChatMessage>>() {
                    }), responses, item[5] == null ? null : ((Number) item[5]).doubleValue(), (Boolean) item[6],
                    work, item[7] == null ? null : json.readValue((String) item[7], TIERS), consensus, scoreVersion,
                    scores);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored item JSON does not parse", e);
        }
    }

    private static final TypeReference<List<List<String>>> TIERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Integer>> RATINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, List<String>>> FLAGS = new TypeReference<>() {
    };

    /** Rejects a ranking: it stays stored, but leaves exports, agreement and training until restored. */
    @Transactional
    public void reject(long rankingId, String reason, long adminId) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw InvalidInputException.of("reason", "say why the work is rejected; annotators and researchers "
                    + "see it");
        }
        if (why.length() > MAX_REASON) {
            throw InvalidInputException.of("reason", "at most " + MAX_REASON + " characters");
        }
        int changed = em.createNativeQuery("""
                UPDATE rankings SET rejected_at = now(), rejected_by = ?2, rejection_reason = ?3
                 WHERE id = ?1 AND rejected_at IS NULL
                """).setParameter(1, rankingId).setParameter(2, adminId).setParameter(3, why).executeUpdate();
        if (changed == 0) {
            requireRanking(rankingId);
            throw ProblemException.conflict("this ranking is already rejected");
        }
        audit.record("ranking.reject", "ranking:" + rankingId, Map.of("reason", why));
    }

    @Transactional
    public void restore(long rankingId) {
        int changed = em.createNativeQuery("""
                UPDATE rankings SET rejected_at = NULL, rejected_by = NULL, rejection_reason = NULL
                 WHERE id = ?1 AND rejected_at IS NOT NULL
                """).setParameter(1, rankingId).executeUpdate();
        if (changed == 0) {
            requireRanking(rankingId);
            throw ProblemException.conflict("this ranking is not rejected");
        }
        audit.record("ranking.restore", "ranking:" + rankingId, Map.of());
    }

    @Transactional
    public void markReviewed(long itemId) {
        // Marking again is a no-op: the first review's time stays, and the audit log gets no empty entry.
        int changed = em.createNativeQuery("UPDATE items SET reviewed_at = now() WHERE id = ?1 AND reviewed_at IS NULL")
                .setParameter(1, itemId).executeUpdate();
        if (changed == 0) {
            Number found = (Number) em.createNativeQuery("SELECT count(*) FROM items WHERE id = ?1")
                    .setParameter(1, itemId).getSingleResult();
            if (found.longValue() == 0) {
                throw ProblemException.notFound("no item with id " + itemId);
            }
            return;
        }
        audit.record("item.review", "item:" + itemId, Map.of());
    }

    private void requireRanking(long rankingId) {
        Number found = (Number) em.createNativeQuery("SELECT count(*) FROM rankings WHERE id = ?1")
                .setParameter(1, rankingId).getSingleResult();
        if (found.longValue() == 0) {
            throw ProblemException.notFound("no ranking with id " + rankingId);
        }
    }
}
