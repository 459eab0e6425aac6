package dev.ranklab.rewardmodel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Held-out metrics of a version: pairwise accuracy, calibrated log loss, and the "shorter response wins" baseline on
 * the very same pairs, overall and per campaign.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /** Counts over a set of pairs; ties in reward or length count half. */
    static final class Tally {

        int pairs;
        double right;
        double shorterRight;
        double logLoss;

        void add(float winnerReward, float loserReward, int winnerLength, int loserLength, float temperature) {
            pairs++;
            right += winnerReward > loserReward ? 1 : winnerReward == loserReward ? 0.5 : 0;
            shorterRight += winnerLength < loserLength ? 1 : winnerLength == loserLength ? 0.5 : 0;
            logLoss += Calibration.softplus(-(winnerReward - loserReward) / temperature);
        }

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("pairs", pairs);
            map.put("accuracy", pairs == 0 ? null : right / pairs);
            map.put("logLoss", pairs == 0 ? null : logLoss / pairs);
            map.put("shorterWinsAccuracy", pairs == 0 ? null : shorterRight / pairs);
            return map;
        }

        double accuracy() {
            return pairs == 0 ? Double.NaN : right / pairs;
        }
    }

    /** Accuracy, log loss and baseline over all pairs of the examples, and per campaign. */
    public static Map<String, Object> of(ScoringNetwork network, List<RankedExample> examples) {
        Tally all = new Tally();
        Map<Long, Tally> perCampaign = new TreeMap<>();
        float temperature = network.header().temperature();
        for (RankedExample example : examples) {
            List<RankedExample.Pair> pairs = example.pairs();
            if (pairs.isEmpty()) {
                continue;
            }
            float[] rewards = network.rewards(example);
            Tally campaign = perCampaign.computeIfAbsent(example.campaignId(), id -> new Tally());
            for (RankedExample.Pair pair : pairs) {
                int w = pair.winner();
                int l = pair.loser();
                all.add(rewards[w], rewards[l], example.lengths()[w], example.lengths()[l], temperature);
                campaign.add(rewards[w], rewards[l], example.lengths()[w], example.lengths()[l], temperature);
            }
        }
        Map<String, Object> metrics = all.asMap();
        List<Map<String, Object>> campaigns = new ArrayList<>();
        perCampaign.forEach((id, tally) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("campaignId", id);
            entry.putAll(tally.asMap());
            campaigns.add(entry);
        });
        metrics.put("perCampaign", campaigns);
        return metrics;
    }

    /** Pairwise accuracy alone (NaN with no pairs). */
    public static double accuracy(ScoringNetwork network, List<RankedExample> examples) {
        Tally all = new Tally();
        for (RankedExample example : examples) {
            if (example.pairs().isEmpty()) {
                continue;
            }
            float[] rewards = network.rewards(example);
            for (RankedExample.Pair pair : example.pairs()) {
                all.add(rewards[pair.winner()], rewards[pair.loser()], 0, 0, 1f);
            }
        }
        return all.accuracy();
    }
}
