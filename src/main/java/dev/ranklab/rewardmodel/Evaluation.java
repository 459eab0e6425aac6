package dev.ranklab.rewardmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a version orders pairs it is shown: each pair's outcome, and the summary (pairwise accuracy, calibrated log
 * loss, and the "shorter response wins" baseline on the very same pairs), overall and per campaign. Ties in reward
 * or in length count half.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /** One ranked pair as the model saw it. */
    public record Outcome(long rankingId, long campaignId, String group, int winner, int loser, float winnerReward,
            float loserReward, int winnerLength, int loserLength) {

        public double correct() {
            return winnerReward > loserReward ? 1 : winnerReward == loserReward ? 0.5 : 0;
        }

        public double shorterCorrect() {
            return winnerLength < loserLength ? 1 : winnerLength == loserLength ? 0.5 : 0;
        }

        double logLoss(float temperature) {
            return Calibration.softplus(-(winnerReward - loserReward) / temperature);
        }
    }

    /** Accuracy, log loss and the baseline over a set of pairs (null figures when there are none). */
    public record Summary(int pairs, Double accuracy, Double logLoss, Double shorterWinsAccuracy) {

        static Summary of(List<Outcome> outcomes, float temperature) {
            if (outcomes.isEmpty()) {
                return new Summary(0, null, null, null);
            }
            double right = 0;
            double shorter = 0;
            double loss = 0;
            for (Outcome outcome : outcomes) {
                right += outcome.correct();
                shorter += outcome.shorterCorrect();
                loss += outcome.logLoss(temperature);
            }
            int n = outcomes.size();
            return new Summary(n, right / n, loss / n, shorter / n);
        }
    }

    /** The summary over all pairs, and one per campaign. */
    public record Report(int pairs, Double accuracy, Double logLoss, Double shorterWinsAccuracy,
            List<CampaignSummary> perCampaign) {
    }

    public record CampaignSummary(long campaignId, int pairs, Double accuracy, Double logLoss,
            Double shorterWinsAccuracy) {
    }

    /** Every pair in different tiers of every example, scored by the network. */
    public static List<Outcome> outcomes(ScoringNetwork network, List<RankedExample> examples) {
        List<Outcome> outcomes = new ArrayList<>();
        for (RankedExample example : examples) {
            List<RankedExample.Pair> pairs = example.pairs();
            if (pairs.isEmpty()) {
                continue;
            }
            float[] rewards = network.rewards(example);
            for (RankedExample.Pair pair : pairs) {
                int w = pair.winner();
                int l = pair.loser();
                outcomes.add(new Outcome(example.rankingId(), example.campaignId(), example.group(), w, l,
                        rewards[w], rewards[l], example.lengths()[w], example.lengths()[l]));
            }
        }
        return outcomes;
    }

    public static Report of(ScoringNetwork network, List<RankedExample> examples) {
        float temperature = network.header().temperature();
        List<Outcome> outcomes = outcomes(network, examples);
        Map<Long, List<Outcome>> byCampaign = new TreeMap<>();
        outcomes.forEach(o -> byCampaign.computeIfAbsent(o.campaignId(), id -> new ArrayList<>()).add(o));
        List<CampaignSummary> campaigns = new ArrayList<>();
        byCampaign.forEach((id, list) -> {
            Summary summary = Summary.of(list, temperature);
            campaigns.add(new CampaignSummary(id, summary.pairs(), summary.accuracy(), summary.logLoss(),
                    summary.shorterWinsAccuracy()));
        });
        Summary all = Summary.of(outcomes, temperature);
        return new Report(all.pairs(), all.accuracy(), all.logLoss(), all.shorterWinsAccuracy(), campaigns);
    }

    /** Pairwise accuracy alone (null with no pairs). */
    public static Double accuracy(ScoringNetwork network, List<RankedExample> examples) {
        return Summary.of(outcomes(network, examples), 1f).accuracy();
    }
}
