package dev.ranklab.rewardmodel;

/**
 * How a version is trained. The defaults suit the small data sets of a labeling campaign: a narrow hidden layer
 * beside a linear term, dropout, decoupled weight decay and early stopping on held-out validation loss.
 *
 * @param hidden units of the hidden layer beside the linear term (0: linear only)
 * @param marginScale margin added inside the loss, −log σ(r_w − r_l − m), per tier of distance beyond the first or
 *            per rating point of difference (0: no margin)
 * @param marginFrom "tiers" or "ratings"
 * @param replayRatio in an incremental retrain, older rankings replayed per new ranking
 */
public record Hyperparameters(int hidden, float dropout, float learningRate, float weightDecay, int batchRankings,
        int maxEpochs, int patience, float marginScale, String marginFrom, float replayRatio, long seed) {

    public static Hyperparameters defaults() {
        return new Hyperparameters(32, 0.2f, 1e-3f, 0.05f, 32, 60, 6, 0f, "tiers", 2f, 42L);
    }

    public Hyperparameters withSeed(long newSeed) {
        return new Hyperparameters(hidden, dropout, learningRate, weightDecay, batchRankings, maxEpochs, patience,
                marginScale, marginFrom, replayRatio, newSeed);
    }

    public Hyperparameters withHidden(int newHidden) {
        return new Hyperparameters(newHidden, dropout, learningRate, weightDecay, batchRankings, maxEpochs, patience,
                marginScale, marginFrom, replayRatio, seed);
    }
}
