package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

/**
 * Trains the scoring network on rankings with {@link PairwiseRankingLoss}, one ranking per batch element, with
 * early stopping on the validation rankings and a calibration temperature fitted on them afterwards. Pure
 * computation: the caller supplies the examples and stores the result.
 */
public final class RewardTrainer {

    /** Told after every epoch; returning false stops training (the best epoch so far is kept). */
    public interface Progress {

        boolean epoch(int epoch, int maxEpochs, double trainingLoss, double validationLoss);
    }

    /** The parameter file, and what the run did. */
    public record Result(byte[] file, int epochs, int bestEpoch, double validationLoss, float temperature, float l2,
            int trainingRankings, int trainingPairs) {
    }

    private final Hyperparameters hyperparameters;

    public RewardTrainer(Hyperparameters hyperparameters) {
        this.hyperparameters = hyperparameters;
    }

    /**
     * @param training rankings to fit
     * @param validation rankings for early stopping, choosing the L2 strength and calibration (may be empty: then
     *            every epoch runs and the strongest candidate is not preferred over the given one)
     * @param warmStart a previous version's file to start from, or null to start from scratch
     * @param regularisedPairs the pair count λ is divided by: all training pairs in scope, also when an incremental
     *            retrain fits only some of them, so the penalty means the same for every version
     */
    public Result train(List<RankedExample> training, List<RankedExample> validation, byte[] warmStart,
            int regularisedPairs, Progress progress) throws IOException {
        Djl.offline();
        List<RankedExample> usable = training.stream().filter(e -> !e.pairs().isEmpty()).toList();
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("no ranking to train on has two responses in different tiers");
        }
        try (NDManager scratch = NDManager.newBaseManager("PyTorch")) {
            RewardNetwork.Loaded parent = null;
            RewardNetwork.Header header;
            if (warmStart != null) {
                parent = RewardNetwork.load(warmStart, scratch, hyperparameters.dropout());
                // Warm start keeps the parent's standardisation, or its weights would mean something else.
                header = parent.header();
            } else {
                header = standardisation(usable, hyperparameters.hidden());
            }
            List<Float> candidates;
            if (hyperparameters.l2() > 0) {
                candidates = List.of(hyperparameters.l2());
            } else if (parent != null && parent.header().l2() > 0) {
                candidates = List.of(parent.header().l2());
            } else if (validation.isEmpty()) {
                candidates = List.of(Hyperparameters.L2_GRID.get(Hyperparameters.L2_GRID.size() / 2));
            } else {
                candidates = Hyperparameters.L2_GRID;
            }
            Result best = null;
            for (float l2 : candidates) {
                Result result = trainOnce(usable, validation, parent, header.withL2(l2),
                        l2 / Math.max(1, regularisedPairs), progress);
                if (best == null || result.validationLoss() < best.validationLoss()) {
                    best = result;
                }
            }
            return best;
        }
    }

    private Result trainOnce(List<RankedExample> training, List<RankedExample> validation,
            RewardNetwork.Loaded parent, RewardNetwork.Header header, float lambda, Progress progress)
            throws IOException {
        Engine.getEngine("PyTorch").setRandomSeed((int) hyperparameters.seed());
        try (Model model = Model.newInstance("reward-model", "PyTorch")) {
            Block block = RewardNetwork.block(header.hidden(), hyperparameters.dropout());
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(new PairwiseRankingLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(hyperparameters.learningRate()))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, header.featureSize()));
                if (parent != null) {
                    copyParameters(parent.block(), block);
                }
                return fit(trainer, block, header, lambda, training, validation, progress);
            }
        }
    }

    private Result fit(Trainer trainer, Block block, RewardNetwork.Header header, float lambda,
            List<RankedExample> training, List<RankedExample> validation, Progress progress) throws IOException {
        PairwiseRankingLoss loss = new PairwiseRankingLoss();
        List<RankedExample> order = new ArrayList<>(training);
        Random random = new Random(hyperparameters.seed());
        double best = validation.isEmpty() ? Double.POSITIVE_INFINITY : loss(trainer, header, validation);
        List<float[]> bestParameters = snapshot(block);
        int bestEpoch = 0;
        int epoch = 0;
        int pairs = training.stream().mapToInt(e -> e.pairs().size()).sum();
        while (epoch < hyperparameters.maxEpochs()) {
            epoch++;
            Collections.shuffle(order, random);
            double trainingLoss = 0;
            int batches = 0;
            for (int start = 0; start < order.size(); start += hyperparameters.batchRankings()) {
                TrainingInterrupted.check();
                List<RankedExample> batch = order.subList(start,
                        Math.min(order.size(), start + hyperparameters.batchRankings()));
                try (NDManager manager = trainer.getManager().newSubManager();
                        GradientCollector collector = trainer.newGradientCollector()) {
                    Batch built = Batch.of(batch, header, hyperparameters, manager);
                    NDList predictions = trainer.forward(new NDList(built.features()));
                    NDArray value = loss.evaluate(built.labels(), predictions);
                    trainingLoss += value.getFloat();
                    collector.backward(value.add(penalty(block, lambda)));
                    batches++;
                }
                trainer.step();
            }
            trainingLoss /= Math.max(1, batches);
            double validationLoss = validation.isEmpty() ? trainingLoss : loss(trainer, header, validation);
            if (validationLoss < best - 1e-5 || (validation.isEmpty() && epoch == hyperparameters.maxEpochs())) {
                best = validationLoss;
                bestEpoch = epoch;
                bestParameters = snapshot(block);
            }
            boolean goOn = progress == null || progress.epoch(epoch, hyperparameters.maxEpochs(), trainingLoss,
                    validationLoss);
            if (!goOn || epoch - bestEpoch >= hyperparameters.patience()) {
                break;
            }
        }
        restore(block, bestParameters);
        float temperature = validation.isEmpty() ? 1f : temperature(trainer, header, validation);
        byte[] file = RewardNetwork.save(header.withTemperature(temperature), block);
        return new Result(file, epoch, bestEpoch, best, temperature, header.l2(), training.size(), pairs);
    }

    /** (λ/2)·‖w‖² over the weight matrices (not the biases). */
    private static NDArray penalty(Block block, float lambda) {
        NDArray sum = null;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            if (parameter.getValue().getType() != Parameter.Type.WEIGHT) {
                continue;
            }
            NDArray squares = parameter.getValue().getArray().square().sum();
            sum = sum == null ? squares : sum.add(squares);
        }
        return sum.mul(lambda / 2);
    }

    /** Mean loss over rankings without dropout and without touching the weights. */
    private double loss(Trainer trainer, RewardNetwork.Header header, List<RankedExample> examples) {
        double total = 0;
        int rankings = 0;
        PairwiseRankingLoss loss = new PairwiseRankingLoss();
        for (int start = 0; start < examples.size(); start += 256) {
            List<RankedExample> chunk = examples.subList(start, Math.min(examples.size(), start + 256)).stream()
                    .filter(e -> !e.pairs().isEmpty())
                    .toList();
            if (chunk.isEmpty()) {
                continue;
            }
            try (NDManager manager = trainer.getManager().newSubManager()) {
                Batch built = Batch.of(chunk, header, hyperparameters, manager);
                NDList predictions = trainer.evaluate(new NDList(built.features()));
                total += loss.evaluate(built.labels(), predictions).getFloat() * chunk.size();
                rankings += chunk.size();
            }
        }
        return rankings == 0 ? 0 : total / rankings;
    }

    /** The temperature T minimising the validation log loss of σ((r_w − r_l) / T): a one-parameter calibration. */
    private float temperature(Trainer trainer, RewardNetwork.Header header, List<RankedExample> validation) {
        List<Float> differences = new ArrayList<>();
        for (RankedExample example : validation) {
            if (example.pairs().isEmpty()) {
                continue;
            }
            try (NDManager manager = trainer.getManager().newSubManager()) {
                Batch built = Batch.of(List.of(example), header, hyperparameters, manager);
                float[] rewards = trainer.evaluate(new NDList(built.features())).singletonOrThrow().reshape(-1)
                        .toFloatArray();
                for (RankedExample.Pair pair : example.pairs()) {
                    differences.add(rewards[pair.winner()] - rewards[pair.loser()]);
                }
            }
        }
        return Calibration.fitTemperature(differences);
    }

    private static RewardNetwork.Header standardisation(List<RankedExample> examples, int hidden) {
        int size = Features.SIZE;
        double[] sum = new double[size];
        double[] squares = new double[size];
        long count = 0;
        for (RankedExample example : examples) {
            for (int i = 0; i < example.size(); i++) {
                float[] features = example.features(i);
                for (int f = 0; f < size; f++) {
                    sum[f] += features[f];
                    squares[f] += (double) features[f] * features[f];
                }
                count++;
            }
        }
        float[] means = new float[size];
        float[] deviations = new float[size];
        for (int f = 0; f < size; f++) {
            double mean = sum[f] / count;
            double variance = Math.max(0, squares[f] / count - mean * mean);
            means[f] = (float) mean;
            // A constant feature is left unscaled rather than divided by zero.
            deviations[f] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
        }
        return new RewardNetwork.Header(size, hidden, means, deviations, 1f, 0f);
    }

    /** The current values of every parameter, in the block's order. */
    private static List<float[]> snapshot(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            values.add(parameter.getValue().getArray().toFloatArray());
        }
        return values;
    }

    /** Writes saved values into the live parameters in place, so the optimizer keeps tracking the same arrays. */
    private static void restore(Block block, List<float[]> values) {
        var parameters = block.getParameters();
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).getValue().getArray().set(FloatBuffer.wrap(values.get(i)));
        }
    }

    static void copyParameters(Block from, Block to) {
        var source = from.getParameters();
        var target = to.getParameters();
        if (source.size() != target.size()) {
            throw new IllegalStateException("the networks differ in shape: " + source.size() + " and "
                    + target.size() + " parameters");
        }
        for (int i = 0; i < source.size(); i++) {
            NDArray value = source.get(i).getValue().getArray();
            NDArray live = target.get(i).getValue().getArray();
            if (!value.getShape().equals(live.getShape())) {
                throw new IllegalStateException("parameter " + target.get(i).getKey() + " has shape "
                        + live.getShape() + ", the file has " + value.getShape());
            }
            live.set(FloatBuffer.wrap(value.toFloatArray()));
        }
    }
}
