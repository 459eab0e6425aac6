package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

class RewardTrainerTest {

    static {
        Djl.offline();
    }

    /** Rankings of K random responses ordered by a hidden linear function of their embeddings. */
    static List<RankedExample> linearPreference(int rankings, int k, Split split, long seed, float[] truth) {
        Random random = new Random(seed);
        List<RankedExample> examples = new ArrayList<>();
        int d = SentenceEncoder.DIMENSIONS;
        for (int n = 0; n < rankings; n++) {
            float[] prompt = unit(random, d);
            float[][] responses = new float[k][];
            double[] value = new double[k];
            int[] lengths = new int[k];
            int[] words = new int[k];
            for (int i = 0; i < k; i++) {
                responses[i] = unit(random, d);
                lengths[i] = 50 + random.nextInt(500);
                words[i] = lengths[i] / 5;
                for (int j = 0; j < d; j++) {
                    value[i] += truth[j] * responses[i][j];
                }
            }
            int[] tiers = new int[k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    if (value[j] > value[i]) {
                        tiers[i]++;
                    }
                }
            }
            examples.add(new RankedExample(n, 1, "group " + seed + "-" + n, split, prompt, responses, lengths, words,
                    tiers, new int[k]));
        }
        return examples;
    }

    static float[] unit(Random random, int d) {
        float[] v = new float[d];
        double norm = 0;
        for (int i = 0; i < d; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < d; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    static double accuracy(ScoringNetwork network, List<RankedExample> examples) {
        int right = 0;
        int total = 0;
        for (RankedExample example : examples) {
            float[] rewards = network.rewards(example);
            for (RankedExample.Pair pair : example.pairs()) {
                total++;
                if (rewards[pair.winner()] > rewards[pair.loser()]) {
                    right++;
                }
            }
        }
        return (double) right / total;
    }

    @Test
    void learnsAKnownLinearPreference() throws Exception {
        float[] truth = unit(new Random(7), SentenceEncoder.DIMENSIONS);
        List<RankedExample> training = linearPreference(5000, 3, Split.TRAINING, 1, truth);
        List<RankedExample> validation = linearPreference(200, 3, Split.VALIDATION, 2, truth);
        List<RankedExample> heldOut = linearPreference(500, 3, Split.HELD_OUT, 3, truth);
        // One L2 strength, weak: the preference is exactly linear, so the search over six would only cost time.
        var result = new RewardTrainer(Hyperparameters.defaults().withL2(50f)).train(training, validation, null, 15000,
                null);
        try (ScoringNetwork network = ScoringNetwork.load(result.file())) {
            double accuracy = accuracy(network, heldOut);
            assertTrue(accuracy > 0.95, "held-out pairwise accuracy " + accuracy + " " + result);
        }
        assertEquals(5000 * 3, result.trainingPairs());
    }

    /**
     * Rewards (2, 0, 1) for a ranking 0 ≻ 2 ≻ 1: pairs (0,1), (0,2), (2,1) with differences 2, 1, 1. Loss =
     * (softplus(−2) + 2·softplus(−1)) / 3; d/dr_w of softplus(−(r_w − r_l)) is −σ(−(r_w − r_l)), +σ(…) for r_l.
     */
    @Test
    void lossAndGradientMatchAHandComputedCase() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray rewards = manager.create(new float[]{2f, 0f, 1f});
            rewards.setRequiresGradient(true);
            NDList labels = new NDList(manager.create(new long[]{0, 0, 2}), manager.create(new long[]{1, 2, 1}),
                    manager.create(new float[]{1f / 3, 1f / 3, 1f / 3}), manager.create(new float[]{0f, 0f, 0f}));
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray loss = new PairwiseRankingLoss().evaluate(labels, new NDList(rewards));
                double expected = (Math.log1p(Math.exp(-2)) + 2 * Math.log1p(Math.exp(-1))) / 3;
                assertEquals(0.251151, expected, 1e-6);
                assertEquals(expected, loss.getFloat(), 1e-6);
                collector.backward(loss);
            }
            double s2 = 1 / (1 + Math.exp(2));
            double s1 = 1 / (1 + Math.exp(1));
            float[] gradient = rewards.getGradient().toFloatArray();
            assertArrayEquals(new float[]{(float) (-(s2 + s1) / 3), (float) ((s2 + s1) / 3), 0f}, gradient, 1e-6f);
        }
    }

    @Test
    void aMarginWidensTheSeparationRequired() {
        Hyperparameters tiers = new Hyperparameters(0, 0f, 1e-3f, 0f, 8, 1, 1, 0.5f, "tiers", 1f, 1L);
        assertEquals(0f, Batch.margin(new RankedExample.Pair(0, 1, 1, 0), tiers));
        assertEquals(1f, Batch.margin(new RankedExample.Pair(0, 1, 3, 0), tiers));
        Hyperparameters ratings = new Hyperparameters(0, 0f, 1e-3f, 0f, 8, 1, 1, 0.5f, "ratings", 1f, 1L);
        assertEquals(1.5f, Batch.margin(new RankedExample.Pair(0, 1, 1, 3), ratings));
    }

    @Test
    void warmStartKeepsTheParameters() throws Exception {
        float[] truth = unit(new Random(11), SentenceEncoder.DIMENSIONS);
        List<RankedExample> training = linearPreference(300, 2, Split.TRAINING, 4, truth);
        List<RankedExample> validation = linearPreference(100, 2, Split.VALIDATION, 5, truth);
        var first = new RewardTrainer(Hyperparameters.defaults()).train(training, validation, null, 300, null);
        Hyperparameters none = Hyperparameters.defaults().withMaxEpochs(0).withSeed(99);
        var warm = new RewardTrainer(none).train(training, validation, first.file(), 300, null);
        try (ScoringNetwork before = ScoringNetwork.load(first.file());
                ScoringNetwork after = ScoringNetwork.load(warm.file())) {
            for (RankedExample example : validation.subList(0, 20)) {
                assertArrayEquals(before.rewards(example), after.rewards(example), 1e-5f);
            }
        }
        // A warm start from a good model begins near its loss; a cold one begins near log 2.
        List<Double> firstEpoch = new ArrayList<>();
        new RewardTrainer(Hyperparameters.defaults().withSeed(3)).train(training, validation, first.file(), 300,
                (epoch, max, trainingLoss, validationLoss) -> {
                    firstEpoch.add(validationLoss);
                    return false;
                });
        assertTrue(firstEpoch.get(0) < first.validationLoss() + 0.05,
                "first warm epoch " + firstEpoch.get(0) + " vs parent " + first.validationLoss());
    }

    @Test
    void temperatureRecoversTheScaleOfGeneratedPreferences() {
        Random random = new Random(5);
        List<Float> differences = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            float d = (float) (random.nextGaussian() * 3);
            // The first response wins with probability σ(d / 2): the best temperature is 2.
            boolean firstWins = random.nextDouble() < 1 / (1 + Math.exp(-d / 2));
            differences.add(firstWins ? d : -d);
        }
        assertEquals(2.0, Calibration.fitTemperature(differences), 0.15);
    }
}
