package dev.ranklab.export;

import java.util.ArrayList;
import java.util.List;

import dev.ranklab.quality.Pseudonyms;

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

    static Query build(ExportOptions options, long campaignId) {
        ExportFilter filter = options.filter();
        ExportShape shape = options.shape();
        boolean realNames = options.realNames();
        ExportFilter.Sql conditions;
        String sql;
        switch (options.format()) {
            case RANKINGS -> {
                String annotator = annotator("t", realNames);
                conditions = filter.conditions("t.finished_at", annotator, "r.flags", "t.status", "t.item_id",
                        "r.rejected_at");
                sql = rankings(annotator, conditions.text(), shape.scoreVersion(), split(options));
            }
            case PAIRS, TRL -> {
                String annotator = annotator("r", realNames);
                conditions = filter.conditions("r.submitted_at", annotator, "r.flags", null, "r.item_id",
                        "r.rejected_at");
                String margin = shape.ratingMargin()
                        ? "(a.ratings ->> a.response_id)::int - (a.ratings ->> b.response_id)::int"
                        : "b.tier - a.tier";
                String from = pairsFrom(annotator, conditions.text(), shape.ratingMargin());
                sql = options.format() == ExportFormat.PAIRS
                        ? pairs(margin, shape.scoreVersion(), split(options)) + from
                        : trl(margin, shape.trlStandard(), split(options)) + from;
            }
            case KTO -> {
                String annotator = annotator("r", realNames);
                conditions = filter.conditions("r.submitted_at", annotator, "r.flags", null, "r.item_id",
                        "r.rejected_at");
                sql = kto(annotator, conditions.text(), options.kto(), options.shape().trlStandard(),
                        split(options));
            }
            case SFT -> {
                String annotator = annotator("d", realNames);
                conditions = filter.conditions("d.submitted_at", annotator, null, null, null, null);
                sql = sft(annotator, conditions.text(), split(options));
            }
            default -> throw new IllegalArgumentException(options.format().name());
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(campaignId);
        parameters.addAll(conditions.parameters());
        return new Query(sql, parameters);
    }

    private static String split(ExportOptions options) {
        return PromptSplit.sql(options.split(), "i.prompt");
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

    /**
     * The item's responses each with the same keys (a response imported without a model has {@code "model": null}),
     * in import order.
     */
    static final String RESPONSES = "(SELECT coalesce(json_agg(json_build_object('id', e ->> 'id', 'text', "
            + "e ->> 'text', 'model', e ->> 'model') ORDER BY o), '[]') "
            + "FROM jsonb_array_elements(i.responses) WITH ORDINALITY x(e, o))";

    /** An object keyed by every response id of the item, in import order, each value {@code perResponse(id)}. */
    private static String everyResponse(String perResponse) {
        return "(SELECT json_object_agg(e ->> 'id', " + perResponse.formatted("(e ->> 'id')") + " ORDER BY o) "
                + "FROM jsonb_array_elements(i.responses) WITH ORDINALITY x(e, o))";
    }

    private static String rankings(String annotator, String conditions, Integer scoreVersion, String split) {
        String ratings = "CASE WHEN r.id IS NULL THEN NULL ELSE " + everyResponse("(r.ratings ->> %s)::bigint")
                + " END";
        String flags = "CASE WHEN r.id IS NULL THEN NULL ELSE "
                + everyResponse("coalesce(r.flags -> %s, '[]'::jsonb)") + " END";
        return """
                SELECT json_build_object(
                    'rankingId', r.id,
                    'revision', r.revision,
                    'taskId', t.id,
                    'itemId', i.id,
                    'externalId', i.external_id,
                    'campaignId', c.id,
                    'campaign', c.name,
                    'prompt', i.prompt,
                    'responses', %s,
                    'outcome', t.status,
                    'tiers', r.tiers,
                    'ratings', %s,
                    'flags', %s,
                    'comment', r.comment,
                    'reason', t.reason,
                    'annotator', %s,
                    'displayOrder', t.display_order,
                    'leasedAt', t.leased_at,
                    'submittedAt', t.finished_at,
                    'leaseSeconds', t.lease_seconds,
                    'activeSeconds', t.active_seconds,
                    'metadata', i.metadata::text,
                    'split', %s%s)::text
                FROM tasks t
                JOIN items i ON i.id = t.item_id
                JOIN campaigns c ON c.id = t.campaign_id
                LEFT JOIN rankings r ON r.task_id = t.id
                WHERE t.campaign_id = ? AND t.status IN ('SUBMITTED', 'SKIPPED', 'UNRANKABLE')%s
                ORDER BY t.finished_at, t.id
                """.formatted(RESPONSES, ratings, flags, annotator, split, rankingScores(scoreVersion), conditions);
    }

    /** Every (better, worse) pair of responses in different tiers of one chosen ranking; ties give no pair. */
    /**
     * The pairs of each ranking's responses in different tiers. A rating margin needs both ratings: where a campaign
     * makes ratings optional, a pair with an unrated response is left out of a margin=ratings export.
     */
    private static String pairsFrom(String annotator, String conditions, boolean bothRated) {
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
                            AS rejected) texts%s
                ORDER BY a.ranking_id, a.tier, a.response_id, b.tier, b.response_id
                """.formatted(annotator, conditions, bothRated
                ? "\n WHERE a.ratings ->> a.response_id IS NOT NULL AND a.ratings ->> b.response_id IS NOT NULL"
                : "");
    }

    private static String pairs(String margin, Integer scoreVersion, String split) {
        return """
                SELECT json_build_object(
                    'prompt', i.prompt,
                    'chosen', texts.chosen,
                    'rejected', texts.rejected,
                    'margin', %s,
                    'chosenId', a.response_id,
                    'rejectedId', b.response_id,
                    'chosenRating', (a.ratings ->> a.response_id)::bigint,
                    'rejectedRating', (a.ratings ->> b.response_id)::bigint,
                    'rankingId', a.ranking_id,
                    'itemId', a.item_id,
                    'annotator', a.annotator,
                    'split', %s%s)::text
                """.formatted(margin, split, pairScores(scoreVersion));
    }

    /**
     * TRL's preference format: conversational (the prompt's messages, each reply one assistant message) or standard
     * (the single user message and the two replies as plain strings), with the margin TRL's reward trainer reads
     * and where each pair comes from.
     */
    private static String trl(String margin, boolean standard, String split) {
        String prompt = standard ? "i.prompt -> 0 ->> 'content'" : "i.prompt";
        return """
                SELECT json_build_object(
                    'prompt', %s,
                    'chosen', %s,
                    'rejected', %s,
                    'margin', %s,
                    'itemId', a.item_id,
                    'rankingId', a.ranking_id,
                    'annotator', a.annotator,
                    'split', %s)::text
                """.formatted(prompt, reply("texts.chosen", standard), reply("texts.rejected", standard), margin,
                split);
    }

    private static String reply(String text, boolean standard) {
        return standard ? text : "json_build_array(json_build_object('role', 'assistant', 'content', " + text + "))";
    }

    /** One line per labelled response of each chosen ranking (see {@link KtoLabels}). */
    private static String kto(String annotator, String conditions, KtoLabels labels, boolean standard,
            String split) {
        String prompt = standard ? "i.prompt -> 0 ->> 'content'" : "i.prompt";
        String label = labels.fromTiers()
                ? "CASE WHEN a.tiers < 2 THEN NULL WHEN a.tier = 1 THEN true WHEN a.tier = a.tiers THEN false END"
                : "(a.ratings ->> a.response_id)::int >= " + labels.threshold();
        return """
                SELECT json_build_object(
                    'prompt', %s,
                    'completion', %s,
                    'label', a.label,
                    'responseId', a.response_id,
                    'rating', (a.ratings ->> a.response_id)::bigint,
                    'itemId', a.item_id,
                    'rankingId', a.ranking_id,
                    'annotator', a.annotator,
                    'split', %s)::text
                FROM (SELECT a.*, %s AS label
                      FROM (SELECT r.id AS ranking_id, r.item_id, r.ratings, %s AS annotator, tier.ord AS tier,
                                   jsonb_array_length(r.tiers) AS tiers, id.value #>> '{}' AS response_id
                            FROM rankings r
                            CROSS JOIN LATERAL jsonb_array_elements(r.tiers) WITH ORDINALITY AS tier(ids, ord)
                            CROSS JOIN LATERAL jsonb_array_elements(tier.ids) AS id(value)
                            WHERE r.campaign_id = ?%s) a) a
                JOIN items i ON i.id = a.item_id
                CROSS JOIN LATERAL (SELECT e ->> 'text' AS text FROM jsonb_array_elements(i.responses) e
                                    WHERE e ->> 'id' = a.response_id) texts
                WHERE a.label IS NOT NULL
                ORDER BY a.ranking_id, a.tier, a.response_id
                """.formatted(prompt, reply("texts.text", standard), split, label, annotator, conditions);
    }

    private static String sft(String annotator, String conditions, String split) {
        return """
                SELECT json_build_object(
                    'messages', i.prompt || jsonb_build_array(jsonb_build_object('role', 'assistant', 'content', d.text)),
                    'itemId', d.item_id,
                    'demonstrationId', d.id,
                    'annotator', %s,
                    'split', %s)::text
                FROM demonstrations d
                JOIN items i ON i.id = d.item_id
                WHERE d.campaign_id = ?%s
                ORDER BY d.submitted_at, d.id
                """
                .formatted(annotator, split, conditions);
    }
}
