package dev.ranklab.leaderboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.campaigns.CampaignService;

/**
 * The model leaderboard of a campaign, computed from its rankings (rejected ones left out) and the {@code model}
 * of each ranked response. Intervals come from a bootstrap over rankings with a fixed seed, so the same data always
 * gives the same answer.
 */
@ApplicationScoped
public class LeaderboardService {

    static final int BOOTSTRAP_SAMPLES = 200;
    static final long BOOTSTRAP_SEED = 20261129L;
    private static final TypeReference<List<List<String>>> TIERS = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> RESPONSES = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    CampaignService campaigns;

    @Transactional(Transactional.TxType.SUPPORTS)
    public ModelBoard board(long campaignId) {
        campaigns.get(campaignId);
        Outcomes outcomes = new Outcomes();
        try (Stream<Object[]> rows = em.createNativeQuery("""
                SELECT r.tiers::text, i.responses::text FROM rankings r JOIN items i ON i.id = r.item_id
                 WHERE r.campaign_id = ?1 AND r.rejected_at IS NULL ORDER BY r.id""", Object[].class)
                .setParameter(1, campaignId).getResultStream()) {
            rows.forEach(row -> outcomes.add(read((String) row[0], TIERS), modelsOf((String) row[1])));
        }
        return board(campaignId, outcomes);
    }

    static ModelBoard board(long campaignId, Outcomes outcomes) {
        List<String> models = outcomes.models();
        int m = models.size();
        Outcomes.Tally tally = outcomes.tally(outcomes.once());
        double[] ratings = BradleyTerry.ratings(tally.wins());
        double[][] intervals = intervals(outcomes, m);
        List<ModelBoard.Standing> standings = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            long wins = 0;
            long losses = 0;
            long ties = 0;
            for (int j = 0; j < m; j++) {
                wins += tally.decisive()[i][j];
                losses += tally.decisive()[j][i];
                ties += tally.ties()[i][j];
            }
            long games = wins + losses + ties;
            standings.add(new ModelBoard.Standing(0, models.get(i), games, wins, losses, ties,
                    games == 0 ? 0 : (wins + ties / 2.0) / games, ratings[i], intervals[i][0], intervals[i][1]));
        }
        standings.sort(Comparator.comparingDouble(ModelBoard.Standing::rating).reversed()
                .thenComparing(ModelBoard.Standing::model));
        List<ModelBoard.Standing> ranked = new ArrayList<>();
        for (int r = 0; r < standings.size(); r++) {
            ModelBoard.Standing s = standings.get(r);
            ranked.add(new ModelBoard.Standing(r + 1, s.model(), s.comparisons(), s.wins(), s.losses(), s.ties(),
                    s.winRate(), s.rating(), s.ratingLow(), s.ratingHigh()));
        }
        List<String> order = ranked.stream().map(ModelBoard.Standing::model).toList();
        List<List<Double>> matrix = new ArrayList<>();
        long total = 0;
        for (String a : order) {
            int i = models.indexOf(a);
            List<Double> row = new ArrayList<>();
            for (String b : order) {
                int j = models.indexOf(b);
                double games = tally.wins()[i][j] + tally.wins()[j][i];
                row.add(i == j || games == 0 ? null : tally.wins()[i][j] / games);
                if (i < j) {
                    total += tally.decisive()[i][j] + tally.decisive()[j][i] + tally.ties()[i][j];
                }
            }
            matrix.add(row);
        }
        return new ModelBoard(campaignId, outcomes.rankings(), total, BOOTSTRAP_SAMPLES, BOOTSTRAP_SEED, ranked,
                order, matrix);
    }

    /** The 2.5th and 97.5th percentiles of each model's rating over rankings resampled with replacement. */
    private static double[][] intervals(Outcomes outcomes, int m) {
        int n = outcomes.rankings();
        double[][] samples = new double[m][BOOTSTRAP_SAMPLES];
        SplittableRandom random = new SplittableRandom(BOOTSTRAP_SEED);
        for (int b = 0; b < BOOTSTRAP_SAMPLES; b++) {
            int[] times = new int[n];
            for (int k = 0; k < n; k++) {
                times[random.nextInt(n)]++;
            }
            double[] ratings = BradleyTerry.ratings(outcomes.tally(times).wins());
            for (int i = 0; i < m; i++) {
                samples[i][b] = ratings[i];
            }
        }
        double[][] intervals = new double[m][2];
        for (int i = 0; i < m; i++) {
            Arrays.sort(samples[i]);
            intervals[i][0] = percentile(samples[i], 0.025);
            intervals[i][1] = percentile(samples[i], 0.975);
        }
        return intervals;
    }

    /** Linear interpolation between the closest ranks (numpy's default). */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private Map<String, String> modelsOf(String responsesJson) {
        Map<String, String> models = new HashMap<>();
        for (Map<String, Object> response : read(responsesJson, RESPONSES)) {
            Object model = response.get("model");
            if (model instanceof String name) {
                models.put((String) response.get("id"), name);
            }
        }
        return models;
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rankings and responses are valid JSON", e);
        }
    }
}
