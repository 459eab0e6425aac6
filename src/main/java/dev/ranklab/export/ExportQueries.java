package dev.ranklab.export;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL behind each export format. PostgreSQL builds each line's JSON itself ({@code json_build_object} keeps
 * the key order), so the app only copies text to the response, and every query orders its rows completely so that
 * the same export twice is byte-identical. The only parameter before the filter's is the campaign id.
 */
final class ExportQueries {

    private ExportQueries() {
    }

    /** A query and the values of its parameters. */
    record Query(String sql, List<Object> parameters) {
    }

    static String annotator(String alias, boolean realNames) {
        return Pseudonyms.sql(alias, realNames);
    }

    static Query build(ExportFormat format, long campaignId, boolean realNames, ExportFilter filter,
            ExportShape shape) {
        ExportFilter.Sql conditions;
        String sql;
        switch (format) {
            case RANKINGS -> {
                String annotator = annotator("t", realNames);
                conditions = filter.conditions("t.finished_at", annotator, "r.flags", "t.status", "t.item_id",
                        "r.rejected_at");
                sql = rankings(annotator, conditions.text(), shape.scoreVersion());
            }
            case PAIRS, TRL -> {
                String annotator = annotator("r", realNames);
                conditions = filter.conditions("r.submitted_at", annotator, "r.flags", null, "r.item_id",
                        "r.rejected_at");
                sql = format == ExportFormat.PAIRS
                        ? pairs(annotator, conditions.text(), shape.ratingMargin(), shape.scoreVersion())
                        : shape.trlStandard() ? trlStandard(conditions.text()) : trl(conditions.text());
            }
            case SFT -> {
                String annotator = annotator("d", realNames);
                conditions = filter.conditions("d.submitted_at", annotator, null, null, null, null);
                sql = sft(conditions.text());
            }
            default -> throw new IllegalArgumentException(format.name());
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(campaignId);
        parameters.addAll(conditions.parameters());
        return new Query(sql, parameters);
    }

    /**
     * The JSON fields a version's scores add: every response's score on a rankings line, the two scores on a pairs
     * line. The version is an integer checked by the caller, so it is written into the SQL.
     */
    private static String rankingScores(Integer version) {
        if (version == null) {
            return "";
        }
        return (",\n    'scoreVersion', %d,\n    'scores', (SELECT json_object_agg(s.response_id, s.score ORDER BY "
                + "s.response_id) FROM response_scores s WHERE s.version = %d AND s.item_id = i.id)")
                .formatted(version, version);
    }

    private static String pairScores(Integer version) {
        if (version == null) {
            return "";
        }
        String score = "(SELECT s.score FROM response_scores s WHERE s.version = %d AND s.item_id = a.item_id "
                + "AND s.response_id = %s.response_id)";
        return ",\n    'scoreVersion', " + version + ",\n    'chosenScore', " + score.formatted(version, "a")
                + ",\n    'rejectedScore', " + score.formatted(version, "b");
    }

    private static String rankings(String annotator, String conditions, Integer scoreVersion) {
        return """
                SELECT json_build_object(
                    'rankingId', r.id,
                    'taskId', t.id,
                    'itemId', i.id,
                    'externalId', i.external_id,
                    'campaignId', c.id,
                    'campaign', c.name,
                    'prompt', i.prompt,
                    'responses', i.responses,
                    'outcome', t.status,
                    'tiers', r.tiers,
                    'ratings', r.ratings,
                    'flags', r.flags,
                    'comment', r.comment,
                    'reason', t.reason,
                    'annotator', %s,
                    'displayOrder', t.display_order,
                    'leasedAt', t.leased_at,
                    'submittedAt', t.finished_at,
                    'leaseSeconds', t.lease_seconds,
                    'activeSeconds', t.active_seconds,
                    'metadata', i.metadata%s)::text
                FROM tasks t
                JOIN items i ON i.id = t.item_id
                JOIN campaigns c ON c.id = t.campaign_id
                LEFT JOIN rankings r ON r.task_id = t.id
                WHERE t.campaign_id = ? AND t.status IN ('SUBMITTED', 'SKIPPED', 'UNRANKABLE')%s
                ORDER BY t.finished_at, t.id
                """.formatted(annotator, rankingScores(scoreVersion), conditions);
    }

    /** Every (better, worse) pair of responses in different tiers of one chosen ranking; ties give no pair. */
    private static String pairsFrom(String annotator, String conditions) {
        return """
                FROM (SELECT r.id AS ranking_id, r.item_id, r.ratings, %s AS annotator,
                             tier.ord AS tier, id.value #>> '{}' AS response_id
                      FROM rankings r
                      CROSS JOIN LATERAL jsonb_array_elements(r.tiers) WITH ORDINALITY AS tier(ids, ord)
                      CROSS JOIN LATERAL jsonb_array_elements(tier.ids) AS id(value)
                      WHERE r.campaign_id = ?%s) a
                JOIN LATERAL (SELECT tier.ord AS tier, id.value #>> '{}' AS response_id
                              FROM rankings r
                              CROSS JOIN LATERAL jsonb_array_elements(r.tiers) WITH ORDINALITY AS tier(ids, ord)
                              CROSS JOIN LATERAL jsonb_array_elements(tier.ids) AS id(value)
                              WHERE r.id = a.ranking_id) b ON b.tier > a.tier
                JOIN items i ON i.id = a.item_id
                CROSS JOIN LATERAL (SELECT
                        (SELECT e ->> 'text' FROM jsonb_array_elements(i.responses) e WHERE e ->> 'id' = a.response_id)
                            AS chosen,
                        (SELECT e ->> 'text' FROM jsonb_array_elements(i.responses) e WHERE e ->> 'id' = b.response_id)
                            AS rejected) texts
                ORDER BY a.ranking_id, a.tier, a.response_id, b.tier, b.response_id
                """.formatted(annotator, conditions);
    }

    private static String pairs(String annotator, String conditions, boolean ratingMargin, Integer scoreVersion) {
        String margin = ratingMargin
                ? "(a.ratings ->> a.response_id)::int - (a.ratings ->> b.response_id)::int"
                : "b.tier - a.tier";
        return """
                SELECT json_build_object(
                    'prompt', i.prompt,
                    'chosen', texts.chosen,
                    'rejected', texts.rejected,
                    'margin', %s,
                    'chosenId', a.response_id,
                    'rejectedId', b.response_id,
                    'chosenRating', (a.ratings ->> a.response_id)::int,
                    'rejectedRating', (a.ratings ->> b.response_id)::int,
                    'rankingId', a.ranking_id,
                    'itemId', a.item_id,
                    'annotator', a.annotator%s)::text
                """.formatted(margin, pairScores(scoreVersion)) + pairsFrom(annotator, conditions);
    }

    private static String trl(String conditions) {
        return """
                SELECT json_build_object(
                    'prompt', i.prompt,
                    'chosen', json_build_array(json_build_object('role', 'assistant', 'content', texts.chosen)),
                    'rejected', json_build_array(json_build_object('role', 'assistant', 'content', texts.rejected)))::text
                """
                + pairsFrom("NULL", conditions);
    }

    /** TRL's standard format: the single user message and the two replies as plain strings. */
    private static String trlStandard(String conditions) {
        return """
                SELECT json_build_object(
                    'prompt', i.prompt -> 0 ->> 'content',
                    'chosen', texts.chosen,
                    'rejected', texts.rejected)::text
                """ + pairsFrom("NULL", conditions);
    }

    private static String sft(String conditions) {
        return """
                SELECT json_build_object(
                    'messages', i.prompt || jsonb_build_array(jsonb_build_object('role', 'assistant', 'content', d.text)))::text
                FROM demonstrations d
                JOIN items i ON i.id = d.item_id
                WHERE d.campaign_id = ?%s
                ORDER BY d.submitted_at, d.id
                """
                .formatted(conditions);
    }
}
