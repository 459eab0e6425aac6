package dev.ranklab.rewardmodel;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.database.Snapshot;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.items.ItemResponse;
import dev.ranklab.rewardmodel.SentenceEncoder.Truncation;

/**
 * Reads rankings from PostgreSQL as {@link RankedExample}s, embedding their texts through the cache. One REPEATABLE
 * READ snapshot, so the watermark and the rankings agree.
 */
@ApplicationScoped
public class TrainingData {

    private static final TypeReference<List<ChatMessage>> MESSAGES = new TypeReference<>() {
    };
    private static final TypeReference<List<ItemResponse>> RESPONSES = new TypeReference<>() {
    };
    private static final TypeReference<List<List<String>>> TIERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Integer>> RATINGS = new TypeReference<>() {
    };

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EmbeddingService embeddings;

    @Inject
    ObjectMapper json;

    /**
     * The examples, the id of the last ranking read, the embedding work it took, and the share of the rankings kept
     * to stay within the memory budget (1 when all were).
     */
    public record Loaded(List<RankedExample> examples, long watermark, int truncatedTexts, int encodedTexts,
            double sampled, long inScope) {
    }

    /** Rankings parsed and embedded at a time: what the texts of one chunk cost is all the text held at once. */
    static final int CHUNK = 1_000;

    /** A ranking's row before its texts are embedded. */
    private record Row(long rankingId, long campaignId, String prompt, String group, List<ItemResponse> responses,
            List<List<String>> tiers, Map<String, Integer> ratings) {
    }

    /** Counts comparisons (pairs in different tiers) after a ranking id, in the given campaigns (null: all). */
    public long comparisonsAfter(long watermark, Long[] campaignIds) {
        String sql = """
                SELECT coalesce(sum(r.pairs), 0)::bigint
                  FROM rankings r JOIN campaigns c ON c.id = r.campaign_id
                 WHERE r.id > ? AND r.rejected_at IS NULL AND r.item_id NOT IN (SELECT id FROM items WHERE gold_ranking IS NOT NULL) AND c.kind = 'RANKING' AND (?::bigint[] IS NULL OR r.campaign_id = ANY (?::bigint[]))
                """;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, watermark);
            Array array = campaignIds == null ? null : connection.createArrayOf("bigint", campaignIds);
            statement.setArray(2, array);
            statement.setArray(3, array);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting new comparisons failed", e);
        }
    }

    /**
     * Every ranking in the campaigns (null: every ranking campaign), from one snapshot, within the memory budget:
     * texts are parsed and embedded a chunk at a time, and when the embeddings of every ranking in scope would not fit
     * in the budget, whole items are sampled (the same ones at every training) so that they do.
     */
    public Loaded load(Long[] campaignIds, MemoryBudget budget) {
        String scope = """
                  FROM rankings r
                  JOIN items i ON i.id = r.item_id
                  JOIN campaigns c ON c.id = r.campaign_id
                 WHERE c.kind = 'RANKING' AND r.rejected_at IS NULL AND i.gold_ranking IS NULL%s
                """.formatted(campaignIds == null ? "" : " AND r.campaign_id = ANY (?)");
        List<Object> parameters = new ArrayList<>();
        if (campaignIds != null) {
            // One parameter, the whole array: List.of(array) would spread it into its elements.
            parameters.add(campaignIds);
        }
        long[] size = new long[3];
        Snapshot.read(dataSource, "SELECT count(*), coalesce(sum(jsonb_array_length(i.responses)), 0), "
                + "coalesce(max(r.id), 0)" + scope, parameters, result -> {
                    size[0] = result.getLong(1);
                    size[1] = result.getLong(2);
                    size[2] = result.getLong(3);
                    return false;
                });
        double kept = budget.share(size[0], size[1]);
        // hashtext is stable across restarts and versions of PostgreSQL 15+, so a sample keeps the same items.
        // Only what was counted: the watermark is the last ranking in scope then, whether sampled or not.
        String sample = " AND r.id <= " + size[2] + (kept >= 1
                ? ""
                : " AND (hashtext(r.item_id::text)::bigint & 65535) < " + (long) (kept * 65536));
        List<RankedExample> examples = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        int[] embedding = new int[2];
        Snapshot.read(dataSource, """
                SELECT r.id, r.campaign_id, i.prompt::text, i.responses::text, r.tiers::text, r.ratings::text
                """ + scope + sample + " ORDER BY r.id", parameters, result -> {
            try {
                List<ChatMessage> messages = json.readValue(result.getString(3), MESSAGES);
                rows.add(new Row(result.getLong(1), result.getLong(2), PromptText.of(messages),
                        PromptGroup.of(messages),
                        json.readValue(result.getString(4), RESPONSES), json.readValue(result.getString(5), TIERS),
                        json.readValue(result.getString(6), RATINGS)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stored ranking does not parse", e);
            }
            if (rows.size() == CHUNK) {
                embed(rows, examples, embedding);
                rows.clear();
            }
            return true;
        });
        embed(rows, examples, embedding);
        return new Loaded(examples, size[2], embedding[0], embedding[1], kept, size[0]);
    }

    /** Embeds a chunk's texts and adds its examples; counts truncated and newly encoded texts into {@code counts}. */
    private void embed(List<Row> rows, List<RankedExample> examples, int[] counts) {
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (Row row : rows) {
            prompts.add(row.prompt());
            for (ItemResponse response : row.responses()) {
                responses.add(response.text());
            }
        }
        EmbeddingService.Embedded promptVectors = embeddings.embed(prompts, Truncation.TAIL);
        EmbeddingService.Embedded responseVectors = embeddings.embed(responses, Truncation.HEAD);
        int next = 0;
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int k = row.responses().size();
            Map<String, Integer> tierOf = new HashMap<>();
            for (int t = 0; t < row.tiers().size(); t++) {
                for (String id : row.tiers().get(t)) {
                    tierOf.put(id, t);
                }
            }
            float[][] vectors = new float[k][];
            int[] lengths = new int[k];
            int[] words = new int[k];
            int[] tiers = new int[k];
            int[] ratings = new int[k];
            for (int i = 0; i < k; i++) {
                ItemResponse response = row.responses().get(i);
                vectors[i] = responseVectors.vectors()[next++];
                lengths[i] = response.text().length();
                words[i] = Features.words(response.text());
                tiers[i] = tierOf.getOrDefault(response.id(), row.tiers().size());
                ratings[i] = row.ratings().getOrDefault(response.id(), 0);
            }
            examples.add(new RankedExample(row.rankingId(), row.campaignId(), row.group(), Split.of(row.group()),
                    promptVectors.vectors()[r],
                    vectors, lengths, words, tiers, ratings));
        }
        counts[0] += promptVectors.truncated() + responseVectors.truncated();
        counts[1] += promptVectors.encoded() + responseVectors.encoded();
    }
}
