package dev.ranklab.rewardmodel;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rankings flattened for one forward pass: every response of every ranking is a row of {@code features}, and the
 * labels say which rows were ranked above which (see {@link PairwiseRankingLoss}).
 */
record Batch(NDArray features, NDList labels) {

    static Batch of(List<RankedExample> rankings, RewardNetwork.Header header, Hyperparameters hyperparameters,
            NDManager manager) {
        int rows = rankings.stream().mapToInt(RankedExample::size).sum();
        int size = header.featureSize();
        float[] flat = new float[rows * size];
        List<long[]> pairs = new ArrayList<>();
        List<float[]> weightsAndMargins = new ArrayList<>();
        int offset = 0;
        int counted = (int) rankings.stream().filter(r -> !r.pairs().isEmpty()).count();
        for (RankedExample ranking : rankings) {
            for (int i = 0; i < ranking.size(); i++) {
                System.arraycopy(header.standardise(ranking.features(i)), 0, flat, (offset + i) * size, size);
            }
            List<RankedExample.Pair> rankingPairs = ranking.pairs();
            for (RankedExample.Pair pair : rankingPairs) {
                pairs.add(new long[]{offset + pair.winner(), offset + pair.loser()});
                float weight = 1f / (rankingPairs.size() * (float) counted);
                weightsAndMargins.add(new float[]{weight, margin(pair, hyperparameters)});
            }
            offset += ranking.size();
        }
        long[] winners = new long[pairs.size()];
        long[] losers = new long[pairs.size()];
        float[] weights = new float[pairs.size()];
        float[] margins = new float[pairs.size()];
        for (int p = 0; p < pairs.size(); p++) {
            winners[p] = pairs.get(p)[0];
            losers[p] = pairs.get(p)[1];
            weights[p] = weightsAndMargins.get(p)[0];
            margins[p] = weightsAndMargins.get(p)[1];
        }
        NDArray x = manager.create(flat, new Shape(rows, size));
        NDList labels = new NDList(manager.create(winners), manager.create(losers), manager.create(weights),
                manager.create(margins));
        return new Batch(x, labels);
    }

    /** Llama 2's margin: a pair far apart in the ranking (or in rating) should be separated by more. */
    static float margin(RankedExample.Pair pair, Hyperparameters hyperparameters) {
        if (hyperparameters.marginScale() == 0) {
            return 0;
        }
        if ("ratings".equals(hyperparameters.marginFrom())) {
            return hyperparameters.marginScale() * Math.max(0, pair.ratingGap());
        }
        return hyperparameters.marginScale() * (pair.tierDistance() - 1);
    }
}
