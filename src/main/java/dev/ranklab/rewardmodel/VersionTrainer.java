package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.rewardmodel.RewardModelVersion.Mode;
import dev.ranklab.rewardmodel.RewardModelVersion.Status;

/**
 * Trains one version, step by step: load the rankings, decide the mode, measure the serving version's drift, fit,
 * cross-validate, evaluate on the held-out groups, and ask the promotion gate. Computes only; the
 * {@link TrainingRunner} stores what it returns.
 */
@ApplicationScoped
public class VersionTrainer {

    @Inject
    TrainingData data;

    @Inject
    ModelFiles files;

    @Inject
    RanklabConfig config;

    /** Told what the training is doing, to be shown while it runs. */
    public interface Progress {

        void report(Map<String, Object> progress);
    }

    /** Everything a finished training found out. */
    public record Outcome(Mode mode, Integer parent, byte[] file, int rankings, int comparisons, long watermark,
            TrainingMetrics metrics, CrossValidation crossValidation, PromotionGate.Decision decision) {
    }

    /** The rankings in scope, by split of their prompt groups. */
    record Splits(List<RankedExample> all, List<RankedExample> training, List<RankedExample> validation,
            List<RankedExample> heldOut) {

        static Splits of(List<RankedExample> examples) {
            List<RankedExample> training = new ArrayList<>();
            List<RankedExample> validation = new ArrayList<>();
            List<RankedExample> heldOut = new ArrayList<>();
            for (RankedExample example : examples) {
                switch (example.split()) {
                    case TRAINING -> training.add(example);
                    case VALIDATION -> validation.add(example);
                    case HELD_OUT -> heldOut.add(example);
                }
            }
            return new Splits(examples, training, validation, heldOut);
        }

        int comparisons() {
            return all.stream().mapToInt(e -> e.pairs().size()).sum();
        }
    }

    /** The served model's fit, and what an incremental retrain fitted. */
    private record Fitted(RewardTrainer.Result result, TrainingMetrics.Incremental incremental, double seconds) {
    }

    /** The cross-validation, or why there is none, and what it took. */
    private record Validated(CrossValidation crossValidation, String note, double seconds) {
    }

    public Outcome train(RewardModelVersion job, RewardModelVersion parent, Progress progress) throws IOException {
        Hyperparameters hyperparameters = HyperparameterMaps.fromMap(job.hyperparameters);
        MemoryBudget budget = config.rewardModel().memoryBudget().map(size -> new MemoryBudget(size.asLongValue()))
                .orElseGet(() -> MemoryBudget.ofHeap(Runtime.getRuntime()));
        TrainingData.Loaded loaded = data.load(job.campaignIds, budget);
        Splits splits = Splits.of(loaded.examples());
        int comparisons = splits.comparisons();
        if (comparisons < config.rewardModel().minComparisons()) {
            throw new IllegalStateException("a training needs at least " + config.rewardModel().minComparisons()
                    + " comparisons; the rankings in scope have " + comparisons);
        }
        byte[] parentFile = parent == null ? null : files.read(parent);
        long parentWatermark = parent == null || parent.watermark == null ? 0 : parent.watermark;
        TrainingMode.Decision mode = TrainingMode.decide(facts(job, parent, splits, parentWatermark));
        TrainingMetrics.Drift drift = drift(parent, parentFile, loaded.examples(), parentWatermark);

        Fitted fitted = fit(job.version, mode.mode(), hyperparameters, splits, parentFile, parentWatermark,
                progress);
        Validated validated = crossValidate(mode.mode(), hyperparameters, splits, parent, progress);

        progress.report(Map.of("phase", "evaluating"));
        Evaluation.Report heldOut;
        try (ScoringNetwork trained = ScoringNetwork.load(fitted.result().file())) {
            heldOut = Evaluation.of(trained, splits.heldOut());
        }
        Double previousAccuracy = null;
        if (parent != null) {
            try (ScoringNetwork previous = ScoringNetwork.load(parentFile)) {
                previousAccuracy = Evaluation.accuracy(previous, splits.heldOut());
            }
        }
        PromotionGate.Decision decision = PromotionGate.decide(
                new PromotionGate.Candidate(validated.crossValidation(), heldOut.accuracy(),
                        heldOut.shorterWinsAccuracy()),
                parent == null
                        ? null
                        : new PromotionGate.Serving(parent.version, parent.crossValidation, previousAccuracy),
                config.rewardModel().promotionTolerance());

        RewardTrainer.Result result = fitted.result();
        String reason = loaded.sampled() >= 1
                ? mode.reason()
                : String.format(Locale.ROOT, "%s; trained on %d of the %d rankings in scope (whole items, the same "
                        + "ones each time) to stay within the memory budget of %s", mode.reason(),
                        loaded.examples().size(), loaded.inScope(), budget.shown());
        TrainingMetrics metrics = new TrainingMetrics(reason,
                new TrainingMetrics.SplitRankings(splits.training().size(), splits.validation().size(),
                        splits.heldOut().size()),
                loaded.truncatedTexts(), loaded.encodedTexts(), drift, fitted.incremental(), result.epochs(),
                result.bestEpoch(), result.temperature(), result.l2(), result.trainingRankings(),
                result.trainingPairs(), heldOut, validated.note(), parent == null ? null : parent.version,
                previousAccuracy, fitted.seconds(), validated.seconds(), 0);
        return new Outcome(mode.mode(), parent == null ? null : parent.version, result.file(),
                loaded.examples().size(), comparisons, loaded.watermark(), metrics, validated.crossValidation(),
                decision);
    }

    private TrainingMode.Facts facts(RewardModelVersion job, RewardModelVersion parent, Splits splits,
            long parentWatermark) {
        boolean sameScope = parent != null && Arrays.equals(parent.campaignIds, job.campaignIds);
        int fresh = (int) splits.training().stream().filter(e -> e.rankingId() > parentWatermark).count();
        return new TrainingMode.Facts(job.mode, parent == null ? null : parent.version, sameScope, fresh,
                incrementalsSinceLastFull(), config.rewardModel().fullRetrainEvery());
    }

    private static long incrementalsSinceLastFull() {
        return QuarkusTransaction.requiringNew().call(() -> {
            RewardModelVersion lastFull = RewardModelVersion
                    .find("status = ?1 AND mode = ?2 ORDER BY version DESC", Status.READY, Mode.FULL).firstResult();
            return RewardModelVersion.count("status = ?1 AND mode = ?2 AND version > ?3", Status.READY,
                    Mode.INCREMENTAL, lastFull == null ? 0 : lastFull.version);
        });
    }

    /** How well the serving version predicted the rankings it has not seen: the drift signal. */
    private static TrainingMetrics.Drift drift(RewardModelVersion parent, byte[] parentFile,
            List<RankedExample> examples, long parentWatermark) throws IOException {
        if (parent == null) {
            return null;
        }
        List<RankedExample> fresh = examples.stream().filter(e -> e.rankingId() > parentWatermark).toList();
        try (ScoringNetwork previous = ScoringNetwork.load(parentFile)) {
            return new TrainingMetrics.Drift(fresh.size(), Evaluation.accuracy(previous, fresh), parent.version);
        }
    }

    private Fitted fit(int version, Mode mode, Hyperparameters hyperparameters, Splits splits, byte[] parentFile,
            long parentWatermark, Progress progress) throws IOException {
        long started = System.nanoTime();
        RewardTrainer.Progress epochs = (epoch, max, trainingLoss, validationLoss) -> {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("phase", "training");
            shown.put("epoch", epoch);
            shown.put("maxEpochs", max);
            shown.put("trainingLoss", trainingLoss);
            shown.put("validationLoss", validationLoss);
            progress.report(shown);
            return true;
        };
        progress.report(Map.of("phase", "training", "epoch", 0, "maxEpochs", hyperparameters.maxEpochs()));
        if (mode == Mode.FULL) {
            RewardTrainer.Result result = new TrainingProcedure(hyperparameters).run(splits.all(), epochs);
            return new Fitted(result, null, (System.nanoTime() - started) / 1e9);
        }
        List<RankedExample> fresh = splits.training().stream().filter(e -> e.rankingId() > parentWatermark)
                .toList();
        List<RankedExample> older = new ArrayList<>(
                splits.training().stream().filter(e -> e.rankingId() <= parentWatermark).toList());
        Collections.shuffle(older, new Random(hyperparameters.seed() + version));
        int replay = Math.min(older.size(), Math.round(fresh.size() * hyperparameters.replayRatio()));
        List<RankedExample> fit = new ArrayList<>(fresh);
        fit.addAll(older.subList(0, replay));
        int trainingPairs = splits.training().stream().mapToInt(e -> e.pairs().size()).sum();
        RewardTrainer.Result result = new RewardTrainer(hyperparameters).train(fit, splits.validation(), parentFile,
                trainingPairs, epochs);
        return new Fitted(result, new TrainingMetrics.Incremental(fresh.size(), replay),
                (System.nanoTime() - started) / 1e9);
    }

    private static Validated crossValidate(Mode mode, Hyperparameters hyperparameters, Splits splits,
            RewardModelVersion parent, Progress progress) throws IOException {
        if (mode == Mode.INCREMENTAL) {
            return new Validated(null, "an incremental retrain is not cross-validated (it would cost a full one "
                    + "per fold): it is judged on the held-out groups against v" + parent.version, 0);
        }
        long started = System.nanoTime();
        try {
            CrossValidation cv = GroupedCrossValidation.run(splits.all(), GroupedCrossValidation.FOLDS,
                    new TrainingProcedure(hyperparameters),
                    (fold, folds) -> progress.report(Map.of("phase", "cross-validating", "fold", fold, "folds",
                            folds)));
            double seconds = (System.nanoTime() - started) / 1e9;
            return cv == null
                    ? new Validated(null, "too few prompt groups to cross-validate (at least "
                            + 2 * GroupedCrossValidation.FOLDS + " are needed)", seconds)
                    : new Validated(cv, null, seconds);
        } catch (IllegalArgumentException e) {
            return new Validated(null, "cross-validation was not possible: " + e.getMessage(),
                    (System.nanoTime() - started) / 1e9);
        }
    }
}
