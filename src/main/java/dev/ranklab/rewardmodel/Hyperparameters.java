package dev.ranklab.rewardmodel;

import java.util.List;

/**
 * How a version is trained.
 * <p>
 * Regularisation is the whole game on the data a labeling campaign produces (hundreds to thousands of rankings over
 * 1,154 features): on HH-harmless an unregularised fit is no better than "shorter wins", and the best L2 strength
 * spans two orders of magnitude between data sets. So the penalty is explicit, (λ/2)·‖w‖² with λ = {@code l2} /
 * training pairs (the strength per pair stays meaningful as data grows), and by default chosen among {@link #L2_GRID}
 * by validation log loss. Early stopping on the same validation rankings guards the rest.
 *
 * @param hidden units of a ReLU layer beside the linear term (0: linear only, the default)
 * @param l2 the L2 strength; 0 or less: pick from {@link #L2_GRID} on validation (warm starts reuse the parent's)
 * @param marginScale margin added inside the loss, −log σ(r_w − r_l − m), per tier of distance beyond the first or
 *            per rating point of difference (0: no margin)
 * @param marginFrom "tiers" or "ratings"
 * @param replayRatio in an incremental retrain, older rankings replayed per new ranking
 */
public record Hyperparameters(int hidden, float dropout, float learningRate, float l2, int batchRankings,
        int maxEpochs, int patience, float marginScale, String marginFrom, float replayRatio, long seed) {

    /** Candidate L2 strengths, strongest first. */
    public static final List<Float> L2_GRID = List.of(15000f, 5000f, 1500f, 500f, 150f, 50f);

    public static Hyperparameters defaults() {
        return new Hyperparameters(0, 0.1f, 2e-3f, 0f, 32, 60, 6, 0f, "tiers", 2f, 42L);
    }

    public Hyperparameters withSeed(long newSeed) {
        return new Hyperparameters(hidden, dropout, learningRate, l2, batchRankings, maxEpochs, patience,
                marginScale, marginFrom, replayRatio, newSeed);
    }

    public Hyperparameters withL2(float newL2) {
        return new Hyperparameters(hidden, dropout, learningRate, newL2, batchRankings, maxEpochs, patience,
                marginScale, marginFrom, replayRatio, seed);
    }

    public Hyperparameters withMaxEpochs(int newMaxEpochs) {
        return new Hyperparameters(hidden, dropout, learningRate, l2, batchRankings, newMaxEpochs, patience,
                marginScale, marginFrom, replayRatio, seed);
    }
}
