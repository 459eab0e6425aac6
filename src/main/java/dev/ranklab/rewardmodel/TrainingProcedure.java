package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.util.List;

/**
 * How a full training turns rankings into a model: fit on the training groups, and make every choice (L2
 * strength, early-stopping epoch, calibration temperature) on the validation groups; held-out groups are left out.
 * The served version and every cross-validation fold model are made by this one procedure, so the cross-validated
 * figure describes exactly what is served.
 */
record TrainingProcedure(Hyperparameters hyperparameters) implements GroupedCrossValidation.Procedure {

    RewardTrainer.Result run(List<RankedExample> examples, RewardTrainer.Progress progress) throws IOException {
        List<RankedExample> training = examples.stream().filter(e -> e.split() == Split.TRAINING).toList();
        List<RankedExample> validation = examples.stream().filter(e -> e.split() == Split.VALIDATION).toList();
        int trainingPairs = training.stream().mapToInt(e -> e.pairs().size()).sum();
        return new RewardTrainer(hyperparameters).train(training, validation, null, trainingPairs, progress);
    }

    @Override
    public byte[] fit(List<RankedExample> training) throws IOException {
        return run(training, null).file();
    }
}
