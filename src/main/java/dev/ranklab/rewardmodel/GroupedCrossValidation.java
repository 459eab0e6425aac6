package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the training procedure k times, each time on every prompt group but one fold's, and scores that fold's pairs
 * with the model that never saw them. The procedure gets only the training part, so whatever it chooses inside
 * (L2 strength, epochs, temperature) cannot have seen the fold it is tested on: the evaluation is nested.
 */
public final class GroupedCrossValidation {

    /** Five folds: each model trains on 80% of the groups, close to what the served version trains on. */
    public static final int FOLDS = 5;

    /** What is cross-validated: from rankings to a parameter file. */
    public interface Procedure {

        byte[] fit(List<RankedExample> training) throws IOException;
    }

    /** Told before each fold. */
    public interface Progress {

        void fold(int fold, int folds);
    }

    private GroupedCrossValidation() {
    }

    /**
     * @return the cross-validation, or null when there are fewer than two prompt groups per fold to split
     */
    public static CrossValidation run(List<RankedExample> examples, int folds, Procedure procedure,
            Progress progress) throws IOException {
        List<RankedExample> usable = examples.stream().filter(e -> !e.pairs().isEmpty()).toList();
        Map<String, Integer> foldOf = GroupedFolds.assign(usable, folds);
        if (foldOf.size() < 2 * folds) {
            return null;
        }
        List<Evaluation.Outcome> outcomes = new ArrayList<>();
        List<Double> foldAccuracies = new ArrayList<>();
        for (int fold = 0; fold < folds; fold++) {
            int tested = fold;
            List<RankedExample> test = usable.stream().filter(e -> foldOf.get(e.group()) == tested).toList();
            List<RankedExample> training = usable.stream().filter(e -> foldOf.get(e.group()) != tested).toList();
            if (progress != null) {
                progress.fold(fold + 1, folds);
            }
            byte[] file = procedure.fit(training);
            try (ScoringNetwork network = ScoringNetwork.load(file)) {
                List<Evaluation.Outcome> scored = Evaluation.outcomes(network, test);
                outcomes.addAll(scored);
                foldAccuracies.add(Evaluation.Summary.of(scored, 1f).accuracy());
            }
        }
        return CrossValidation.of(folds, outcomes, foldAccuracies);
    }
}
