package dev.ranklab.export;

/**
 * The SQL behind each export format. PostgreSQL builds each line's JSON itself ({@code json_build_object} keeps
 * the key order), so the app only copies text to the response, and every query orders its rows completely so that
 * the same export twice is byte-identical.
 */
final class ExportQueries {

    private ExportQueries() {
    }

    /** Annotator pseudonyms: stable per campaign and installation; the first parameter swaps in usernames. */
    private static final String ANNOTATOR = """
            CASE WHEN ?::boolean THEN u.username
                 ELSE 'annotator-' || substr(md5(s.value || ':' || %1$s.campaign_id || ':' || %1$s.annotator_id), 1, 12)
            END""";

    private static String annotator(String alias) {
        return String.format(ANNOTATOR, alias);
    }

    static final String RANKINGS = """
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
                'metadata', i.metadata)::text
            FROM tasks t
            JOIN items i ON i.id = t.item_id
            JOIN campaigns c ON c.id = t.campaign_id
            JOIN users u ON u.id = t.annotator_id
            CROSS JOIN instance_settings s
            LEFT JOIN rankings r ON r.task_id = t.id
            WHERE t.campaign_id = ? AND s.key = 'pseudonym_salt'
              AND t.status IN ('SUBMITTED', 'SKIPPED', 'UNRANKABLE')
            ORDER BY t.finished_at, t.id
            """.formatted(annotator("t"));

    /** Every (better, worse) pair of responses in different tiers of one ranking; ties give no pair. */
    private static final String PAIRS_FROM = """
            FROM (SELECT r.id AS ranking_id, r.item_id, r.campaign_id, r.annotator_id, r.ratings,
                         tier.ord AS tier, id.value #>> '{}' AS response_id
                  FROM rankings r
                  CROSS JOIN LATERAL jsonb_array_elements(r.tiers) WITH ORDINALITY AS tier(ids, ord)
                  CROSS JOIN LATERAL jsonb_array_elements(tier.ids) AS id(value)
                  WHERE r.campaign_id = ?) a
            JOIN LATERAL (SELECT tier.ord AS tier, id.value #>> '{}' AS response_id
                          FROM rankings r
                          CROSS JOIN LATERAL jsonb_array_elements(r.tiers) WITH ORDINALITY AS tier(ids, ord)
                          CROSS JOIN LATERAL jsonb_array_elements(tier.ids) AS id(value)
                          WHERE r.id = a.ranking_id) b ON b.tier > a.tier
            JOIN items i ON i.id = a.item_id
            JOIN users u ON u.id = a.annotator_id
            CROSS JOIN instance_settings s
            CROSS JOIN LATERAL (SELECT
                    (SELECT e ->> 'text' FROM jsonb_array_elements(i.responses) e WHERE e ->> 'id' = a.response_id)
                        AS chosen,
                    (SELECT e ->> 'text' FROM jsonb_array_elements(i.responses) e WHERE e ->> 'id' = b.response_id)
                        AS rejected) texts
            WHERE s.key = 'pseudonym_salt'
            ORDER BY a.ranking_id, a.tier, a.response_id, b.tier, b.response_id
            """;

    static final String PAIRS = """
            SELECT json_build_object(
                'prompt', i.prompt,
                'chosen', texts.chosen,
                'rejected', texts.rejected,
                'margin', b.tier - a.tier,
                'chosenId', a.response_id,
                'rejectedId', b.response_id,
                'chosenRating', (a.ratings ->> a.response_id)::int,
                'rejectedRating', (a.ratings ->> b.response_id)::int,
                'rankingId', a.ranking_id,
                'itemId', a.item_id,
                'annotator', %s)::text
            """.formatted(annotator("a")) + PAIRS_FROM;

    static final String TRL = """
            SELECT json_build_object(
                'prompt', i.prompt,
                'chosen', json_build_array(json_build_object('role', 'assistant', 'content', texts.chosen)),
                'rejected', json_build_array(json_build_object('role', 'assistant', 'content', texts.rejected)))::text
            """ + PAIRS_FROM;

    static final String SFT = """
            SELECT json_build_object(
                'messages', i.prompt || jsonb_build_array(jsonb_build_object('role', 'assistant', 'content', d.text)))::text
            FROM demonstrations d
            JOIN items i ON i.id = d.item_id
            WHERE d.campaign_id = ?
            ORDER BY d.submitted_at, d.id
            """;
}
