package dev.ranklab.rankings;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.items.Item;
import dev.ranklab.items.ItemResponse;
import dev.ranklab.web.InvalidInputException;

/**
 * Validates and stores rankings: every response exactly once across the tiers, ratings 1–7 (for every response
 * unless the campaign makes them optional), known flags.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RankingService {

    public static final int MIN_RATING = 1;
    public static final int MAX_RATING = 7;
    public static final int MAX_COMMENT = 5_000;

    @Inject
    EntityManager em;

    /** A checked ranking, ready to store. */
    public record ValidRanking(List<List<String>> tiers, Map<String, Integer> ratings,
            Map<String, List<String>> flags, String comment) {
    }

    public ValidRanking validate(Campaign campaign, Item item, List<List<String>> ranking,
            Map<String, Integer> ratings, Map<String, List<String>> flags, String comment) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        Set<String> ids = new HashSet<>(item.responses.stream().map(ItemResponse::id).toList());
        List<List<String>> tiers = new ArrayList<>();
        if (ranking == null || ranking.isEmpty()) {
            errors.add("ranking", "is required: tiers of response ids, best first, e.g. [[\"r2\"],[\"r1\",\"r3\"]]");
        } else {
            Set<String> seen = new HashSet<>();
            for (int t = 0; t < ranking.size(); t++) {
                List<String> tier = ranking.get(t);
                if (tier == null || tier.isEmpty()) {
                    errors.add("ranking", "tier " + (t + 1) + " is empty");
                    continue;
                }
                for (String id : tier) {
                    if (!ids.contains(id)) {
                        errors.add("ranking", "'" + clip(id) + "' is not a response of this item (it has "
                                + sorted(ids) + ")");
                    } else if (!seen.add(id)) {
                        errors.add("ranking", "'" + id + "' appears more than once");
                    }
                }
                tiers.add(List.copyOf(tier));
            }
            Set<String> missing = new HashSet<>(ids);
            missing.removeAll(seen);
            if (!missing.isEmpty() && !errors.has("ranking")) {
                errors.add("ranking", "every response must be ranked; missing " + sorted(missing));
            }
        }
        Map<String, Integer> validRatings = new TreeMap<>();
        Set<String> unrated = new HashSet<>(ids);
        if (ratings != null) {
            ratings.forEach((id, rating) -> {
                if (!ids.contains(id)) {
                    errors.add("ratings", "'" + clip(id) + "' is not a response of this item");
                } else if (rating == null || rating < MIN_RATING || rating > MAX_RATING) {
                    errors.add("ratings", id + ": must be between " + MIN_RATING + " and " + MAX_RATING);
                } else {
                    validRatings.put(id, rating);
                    unrated.remove(id);
                }
            });
        }
        if (campaign.ratingsRequired && !unrated.isEmpty() && !errors.has("ratings")) {
            errors.add("ratings", "rate every response from 1 to 7; missing " + sorted(unrated));
        }
        Map<String, List<String>> validFlags = new TreeMap<>();
        Set<String> codes = campaign.flagCodes();
        if (flags != null) {
            flags.forEach((id, list) -> {
                if (!ids.contains(id)) {
                    errors.add("flags", "'" + clip(id) + "' is not a response of this item");
                    return;
                }
                List<String> valid = new ArrayList<>();
                for (String code : list == null ? List.<String>of() : list) {
                    if (!codes.contains(code)) {
                        errors.add("flags", id + ": '" + clip(String.valueOf(code))
                                + "' is not one of this campaign's flags");
                    } else if (!valid.contains(code)) {
                        valid.add(code);
                    }
                }
                if (!valid.isEmpty()) {
                    validFlags.put(id, List.copyOf(valid));
                }
            });
        }
        String text = comment == null || comment.isBlank() ? null : comment.strip();
        if (text != null && text.length() > MAX_COMMENT) {
            errors.add("comment", "must be at most " + MAX_COMMENT + " characters");
        }
        if (text != null && text.indexOf('\0') >= 0) {
            errors.add("comment", "must not contain NUL characters");
        }
        errors.throwIfAny();
        return new ValidRanking(List.copyOf(tiers), validRatings, validFlags, text);
    }

    public Ranking store(long taskId, Item item, long annotatorId, ValidRanking ranking) {
        Ranking stored = new Ranking();
        stored.taskId = taskId;
        stored.itemId = item.id;
        stored.campaignId = item.campaignId;
        stored.annotatorId = annotatorId;
        stored.tiers = ranking.tiers();
        stored.ratings = ranking.ratings();
        stored.flags = ranking.flags();
        stored.comment = ranking.comment();
        stored.submittedAt = OffsetDateTime.now();
        stored.revision = 1;
        stored.persist();
        return stored;
    }

    /** A task's ranking, its row locked until the transaction ends (null when the task stored none). */
    public Ranking lockByTask(long taskId) {
        return Ranking.<Ranking>find("taskId", taskId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Makes {@code next} the latest revision of a ranking whose row the caller holds locked. The version it replaces
     * is first copied, as it is, into ranking_revisions, so that the rankings row keeps being the only one that
     * exports, agreement and training read, and no version is ever lost.
     */
    public void revise(Ranking ranking, ValidRanking next, String key) {
        em.createNativeQuery("""
                INSERT INTO ranking_revisions (ranking_id, revision, tiers, ratings, flags, comment, made_at,
                                               revision_key)
                SELECT id, revision, tiers, ratings, flags, comment, coalesce(revised_at, submitted_at), revision_key
                  FROM rankings WHERE id = ?1
                """).setParameter(1, ranking.id).executeUpdate();
        ranking.tiers = next.tiers();
        ranking.ratings = next.ratings();
        ranking.flags = next.flags();
        ranking.comment = next.comment();
        ranking.revision = ranking.revision + 1;
        ranking.revisedAt = OffsetDateTime.now();
        ranking.revisionKey = key;
    }

    /** One version of a ranking: what a replayed revision request answers with. */
    public record Version(int revision, List<List<String>> tiers, Map<String, Integer> ratings) {
    }

    /** The version of this ranking that the request with this Idempotency-Key made, or null if none did. */
    public Version madeWith(Ranking ranking, String key) {
        if (key.equals(ranking.revisionKey)) {
            return new Version(ranking.revision, ranking.tiers, ranking.ratings);
        }
        List<Object[]> found = em.createNativeQuery("SELECT revision, tiers::text, ratings::text FROM "
                + "ranking_revisions WHERE ranking_id = ?1 AND revision_key = ?2", Object[].class)
                .setParameter(1, ranking.id).setParameter(2, key).getResultList();
        if (found.isEmpty()) {
            return null;
        }
        Object[] row = found.get(0);
        try {
            return new Version(((Number) row[0]).intValue(), JSON.readValue((String) row[1], TIERS),
                    JSON.readValue((String) row[2], RATINGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ranking_revisions holds JSON PostgreSQL checked", e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<List<String>>> TIERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Integer>> RATINGS = new TypeReference<>() {
    };

    /**
     * Places where the ranking and the ratings disagree: a response in a lower tier rated strictly higher than one
     * in a better tier. Not an error (the annotator may mean it), but worth a second look.
     */
    public static List<String> contradictions(List<List<String>> tiers, Map<String, Integer> ratings) {
        List<String> found = new ArrayList<>();
        Map<String, Integer> tierOf = new HashMap<>();
        for (int t = 0; t < tiers.size(); t++) {
            for (String id : tiers.get(t)) {
                tierOf.put(id, t);
            }
        }
        for (String better : tierOf.keySet().stream().sorted().toList()) {
            for (String worse : tierOf.keySet().stream().sorted().toList()) {
                Integer rb = ratings.get(better);
                Integer rw = ratings.get(worse);
                if (tierOf.get(better) < tierOf.get(worse) && rb != null && rw != null && rw > rb) {
                    found.add(better + " is ranked above " + worse + " but rated lower (" + rb + " < " + rw + ")");
                }
            }
        }
        return found;
    }

    /** Tiers as a line of text, best first: {@code r2 > r1 = r3}. */
    public static String describe(List<List<String>> tiers) {
        return String.join(" > ", tiers.stream().map(tier -> String.join(" = ", tier)).toList());
    }

    private static String sorted(Set<String> ids) {
        return String.join(", ", ids.stream().sorted().toList());
    }

    private static String clip(String value) {
        return value == null ? "null" : value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
