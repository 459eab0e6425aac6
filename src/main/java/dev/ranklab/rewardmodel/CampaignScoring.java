package dev.ranklab.rewardmodel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.items.ItemResponse;
import dev.ranklab.web.ProblemException;

/**
 * Scores every response of a campaign with one version and stores the scores with it: for researchers' pages and
 * exports, for the model's agreement with the annotators, and (with the serving version) for the uncertainty-first
 * queue, which reads each item's smallest score gap.
 */
@ApplicationScoped
public class CampaignScoring {

    private static final int CHUNK = 128;
    private static final TypeReference<List<ChatMessage>> MESSAGES = new TypeReference<>() {
    };
    private static final TypeReference<List<ItemResponse>> RESPONSES = new TypeReference<>() {
    };
    private static final TypeReference<List<List<String>>> TIERS = new TypeReference<>() {
    };

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ScoringService scoring;

    @Inject
    TrainingRunner runner;

    @Inject
    CampaignService campaigns;

    @Inject
    ObjectMapper json;

    /** (campaign, version) pairs being scored now, so a second request does not queue the same work. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /** How far scoring a campaign with a version got, and how often it orders a pair as the annotators did. */
    @Schema(name = "CampaignScores")
    public record Summary(long campaignId, int version,
            @Schema(description = "whether scoring with this version is under way") boolean running, long items,
            long itemsScored, ModelAgreement agreement) {
    }

    /** Over every submitted ranking of a scored item: the non-tied pairs, and the share the model orders alike. */
    @Schema(name = "ModelAgreement")
    public record ModelAgreement(long pairs,
            @Schema(minimum = "0", maximum = "1", description = "null until a pair is scored") Double accuracy) {
    }

    /** Queues the scoring of the campaign's unscored responses with a version (null: the serving one). */
    public Summary start(long campaignId, Integer version) {
        Campaign campaign = campaigns.get(campaignId);
        if (campaign.kind != CampaignKind.RANKING) {
            throw ProblemException.conflict("campaign " + campaignId + " collects demonstrations; there are no "
                    + "responses to score");
        }
        RewardModelVersion model = QuarkusTransaction.requiringNew().call(() -> scoring.resolve(version));
        String key = campaignId + ":" + model.version;
        if (running.add(key)) {
            runner.execute(() -> {
                try {
                    scoreUnscored(campaignId, model);
                } finally {
                    running.remove(key);
                }
            });
        }
        return summary(campaignId, model.version);
    }

    /** Scores the items that have no scores from this version yet; returns how many it scored. */
    int scoreUnscored(long campaignId, RewardModelVersion model) {
        int scored = 0;
        long after = 0;
        while (true) {
            List<Object[]> items = unscored(campaignId, model.version, after);
            if (items.isEmpty()) {
                return scored;
            }
            List<List<ChatMessage>> prompts = new ArrayList<>();
            List<List<String>> texts = new ArrayList<>();
            List<List<ItemResponse>> responses = new ArrayList<>();
            for (Object[] item : items) {
                after = (Long) item[0];
                prompts.add(read((String) item[1], MESSAGES));
                List<ItemResponse> itemResponses = read((String) item[2], RESPONSES);
                responses.add(itemResponses);
                texts.add(itemResponses.stream().map(ItemResponse::text).toList());
            }
            List<float[]> scores = scoring.scoreMany(model, prompts, texts);
            store(model, items, responses, scores);
            scored += items.size();
        }
    }

    private List<Object[]> unscored(long campaignId, int version, long after) {
        String sql = """
                SELECT i.id, i.prompt::text, i.responses::text FROM items i
                 WHERE i.campaign_id = ? AND i.id > ?
                   AND NOT EXISTS (SELECT 1 FROM response_scores s WHERE s.version = ? AND s.item_id = i.id)
                 ORDER BY i.id LIMIT ?
                """;
        List<Object[]> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, campaignId);
            statement.setLong(2, after);
            statement.setInt(3, version);
            statement.setInt(4, CHUNK);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new Object[]{result.getLong(1), result.getString(2), result.getString(3)});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading items to score failed", e);
        }
        return rows;
    }

    private void store(RewardModelVersion model, List<Object[]> items, List<List<ItemResponse>> responses,
            List<float[]> scores) {
        boolean serving = QuarkusTransaction.requiringNew().call(() -> {
            RewardModelVersion current = RewardModelVersion.serving();
            return current != null && current.version.equals(model.version);
        });
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO response_scores (version, item_id, response_id, score) VALUES (?, ?, ?, ?)
                    ON CONFLICT (version, item_id, response_id) DO UPDATE SET score = EXCLUDED.score
                    """);
                    PreparedStatement margin = connection
                            .prepareStatement("UPDATE items SET model_margin = ? WHERE id = ?")) {
                for (int i = 0; i < items.size(); i++) {
                    long itemId = (Long) items.get(i)[0];
                    float[] itemScores = scores.get(i);
                    for (int r = 0; r < itemScores.length; r++) {
                        insert.setInt(1, model.version);
                        insert.setLong(2, itemId);
                        insert.setString(3, responses.get(i).get(r).id());
                        insert.setFloat(4, itemScores[r]);
                        insert.addBatch();
                    }
                    if (serving) {
                        margin.setFloat(1, smallestGap(itemScores));
                        margin.setLong(2, itemId);
                        margin.addBatch();
                    }
                }
                insert.executeBatch();
                margin.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing scores failed", e);
        }
    }

    /** The smallest difference between two of the scores: how close the model's hardest call on the item is. */
    static float smallestGap(float[] scores) {
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        float gap = Float.POSITIVE_INFINITY;
        for (int i = 1; i < sorted.length; i++) {
            gap = Math.min(gap, sorted[i] - sorted[i - 1]);
        }
        return sorted.length < 2 ? 0f : gap;
    }

    /** How far scoring got, and how often the model orders a pair as the annotators did. */
    public Summary summary(long campaignId, int version) {
        campaigns.get(campaignId);
        boolean underWay = running.contains(campaignId + ":" + version);
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT count(*), count(*) FILTER (WHERE EXISTS (
                               SELECT 1 FROM response_scores s WHERE s.version = ? AND s.item_id = i.id))
                      FROM items i WHERE i.campaign_id = ?
                    """)) {
                statement.setInt(1, version);
                statement.setLong(2, campaignId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return new Summary(campaignId, version, underWay, rows.getLong(1), rows.getLong(2),
                            agreement(connection, campaignId, version));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("summarising scores failed", e);
        }
    }

    /** Over every submitted ranking of a scored item: the share of non-tied pairs the model orders the same way. */
    private ModelAgreement agreement(Connection connection, long campaignId, int version) throws SQLException {
        Map<Long, Map<String, Float>> scores = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT s.item_id, s.response_id, s.score FROM response_scores s JOIN items i ON i.id = s.item_id
                 WHERE s.version = ? AND i.campaign_id = ?
                """)) {
            statement.setInt(1, version);
            statement.setLong(2, campaignId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    scores.computeIfAbsent(rows.getLong(1), id -> new HashMap<>()).put(rows.getString(2),
                            rows.getFloat(3));
                }
            }
        }
        long pairs = 0;
        double agreed = 0;
        try (PreparedStatement statement = connection
                .prepareStatement(
                        "SELECT item_id, tiers::text FROM rankings WHERE campaign_id = ? AND rejected_at IS NULL "
                                + "AND item_id NOT IN (SELECT id FROM items WHERE gold_ranking IS NOT NULL)")) {
            statement.setLong(1, campaignId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Map<String, Float> itemScores = scores.get(rows.getLong(1));
                    if (itemScores == null) {
                        continue;
                    }
                    List<List<String>> tiers = read(rows.getString(2), TIERS);
                    for (int a = 0; a < tiers.size(); a++) {
                        for (int b = a + 1; b < tiers.size(); b++) {
                            for (String better : tiers.get(a)) {
                                for (String worse : tiers.get(b)) {
                                    float difference = itemScores.get(better) - itemScores.get(worse);
                                    pairs++;
                                    agreed += difference > 0 ? 1 : difference == 0 ? 0.5 : 0;
                                }
                            }
                        }
                    }
                }
            }
        }
        return new ModelAgreement(pairs, pairs == 0 ? null : agreed / pairs);
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }
}
