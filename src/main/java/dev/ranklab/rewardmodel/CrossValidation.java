package dev.ranklab.rewardmodel;

import java.util.List;

/**
 * The grouped, nested cross-validation of a training: how the training procedure (fit on the training groups,
 * choose L2, epochs and temperature on validation groups) orders pairs of prompt groups it never saw. Each pair is
 * scored by the one fold model whose data excluded the pair's whole group; every choice was made inside that fold's
 * training part. Means are over pairs; the intervals are 95% and cluster-robust over prompt groups
 * ({@link ClusteredMean}).
 *
 * @param accuracy out-of-fold pairwise accuracy
 * @param shorterWins "the shorter response wins" on the same pairs
 * @param difference accuracy minus shorter wins, paired pair by pair
 * @param foldAccuracies each fold's accuracy on its own test pairs
 */
public record CrossValidation(int folds, int groups, int pairs, double accuracy, double accuracyLow,
        double accuracyHigh, double shorterWins, double shorterWinsLow, double shorterWinsHigh, double difference,
        double differenceLow, double differenceHigh, List<Double> foldAccuracies) {

    static CrossValidation of(int folds, List<Evaluation.Outcome> outcomes, List<Double> foldAccuracies) {
        List<String> groups = outcomes.stream().map(Evaluation.Outcome::group).toList();
        ClusteredMean model = ClusteredMean.of(outcomes.stream().map(Evaluation.Outcome::correct).toList(), groups);
        ClusteredMean shorter = ClusteredMean.of(outcomes.stream().map(Evaluation.Outcome::shorterCorrect).toList(),
                groups);
        ClusteredMean difference = ClusteredMean.of(
                outcomes.stream().map(o -> o.correct() - o.shorterCorrect()).toList(), groups);
        return new CrossValidation(folds, model.groups(), model.values(), model.mean(), model.low(), model.high(),
                shorter.mean(), shorter.low(), shorter.high(), difference.mean(), difference.low(),
                difference.high(), List.copyOf(foldAccuracies));
    }

    /** Half the width of the accuracy's 95% interval. */
    public double halfWidth() {
        return (accuracyHigh - accuracyLow) / 2;
    }
}
