package dev.ranklab.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import dev.ranklab.datasets.HhRlhf;
import dev.ranklab.datasets.LabeledItem;
import dev.ranklab.rewardmodel.Evaluation;
import dev.ranklab.rewardmodel.Features;
import dev.ranklab.rewardmodel.Hyperparameters;
import dev.ranklab.rewardmodel.PromptGroup;
import dev.ranklab.rewardmodel.PromptText;
import dev.ranklab.rewardmodel.RankedExample;
import dev.ranklab.rewardmodel.RewardTrainer;
import dev.ranklab.rewardmodel.ScoringNetwork;
import dev.ranklab.rewardmodel.SentenceEncoder;
import dev.ranklab.rewardmodel.Split;

/**
 * Simulates labeling HH-harmless in two orders with the same trainer the app uses: random, and uncertainty-first
 * (the queue policy: next the items whose two responses the current model separates least). Both start from the
 * same random labels and keep the same validation prompts; after every step of labels the model is retrained and
 * measured on the held-out prompts.
 */
public class ActiveLearningBench {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("data", "../shared/data"));
        int step = Integer.getInteger("step", 100);
        int seeds = Integer.getInteger("seeds", 3);
        List<LabeledItem> items;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(data.resolve("hh-harmless-train.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
            items = HhRlhf.read(reader).items();
        }
        List<RankedExample> examples = embed(items);
        List<RankedExample> pool = examples.stream().filter(e -> e.split() == Split.TRAINING).toList();
        List<RankedExample> validation = examples.stream().filter(e -> e.split() == Split.VALIDATION).toList();
        List<RankedExample> heldOut = examples.stream().filter(e -> e.split() == Split.HELD_OUT).toList();
        System.out.printf("pool %d, validation %d, held-out %d%n", pool.size(), validation.size(), heldOut.size());

        int rounds = pool.size() / step;
        double[][] accuracy = new double[2][rounds];
        for (int seed = 0; seed < seeds; seed++) {
            for (int strategy = 0; strategy < 2; strategy++) {
                List<RankedExample> remaining = new ArrayList<>(pool);
                Collections.shuffle(remaining, new Random(seed));
                List<RankedExample> labeled = new ArrayList<>(remaining.subList(0, step));
                remaining.subList(0, step).clear();
                for (int round = 0; round < rounds; round++) {
                    byte[] model = train(labeled, validation, seed);
                    try (ScoringNetwork network = ScoringNetwork.load(model)) {
                        accuracy[strategy][round] += Evaluation.accuracy(network, heldOut) / seeds;
                        if (remaining.isEmpty()) {
                            break;
                        }
                        List<RankedExample> next = strategy == 0
                                ? remaining.subList(0,
                                        Math.min(step, remaining.size()))
                                : leastSeparated(network, remaining, step);
                        List<RankedExample> taken = new ArrayList<>(next);
                        labeled.addAll(taken);
                        remaining.removeAll(taken);
                    }
                }
            }
        }
        System.out.println("labels  random  uncertainty-first");
        for (int round = 0; round < rounds; round++) {
            System.out.printf(Locale.ROOT, "%6d  %.4f  %.4f%n", (round + 1) * step, accuracy[0][round],
                    accuracy[1][round]);
        }
        // One number per order over every label count after the shared start, rather than a chosen point.
        double random = 0;
        double uncertainty = 0;
        for (int round = 1; round < rounds; round++) {
            random += accuracy[0][round] / (rounds - 1);
            uncertainty += accuracy[1][round] / (rounds - 1);
        }
        System.out.printf(Locale.ROOT, "RESULT mean_random_acc=%.4f mean_uncertainty_acc=%.4f difference=%+.4f "
                + "label_counts=%d-%d seeds=%d%n", random, uncertainty, uncertainty - random, 2 * step, rounds * step,
                seeds);
    }

    static byte[] train(List<RankedExample> labeled, List<RankedExample> validation, long seed) throws Exception {
        int pairs = labeled.stream().mapToInt(e -> e.pairs().size()).sum();
        // A fixed L2 strength (the app's grid picks it per version) keeps the two orders comparable.
        Hyperparameters hyperparameters = Hyperparameters.defaults().withL2(1500f).withSeed(seed);
        return new RewardTrainer(hyperparameters).train(labeled, validation, null, pairs, null).file();
    }

    /** The {@code count} examples with the smallest gap between their two scores. */
    static List<RankedExample> leastSeparated(ScoringNetwork network, List<RankedExample> remaining, int count) {
        List<RankedExample> sorted = new ArrayList<>(remaining);
        java.util.Map<RankedExample, Float> gap = new java.util.IdentityHashMap<>();
        for (RankedExample example : sorted) {
            float[] rewards = network.rewards(example);
            gap.put(example, Math.abs(rewards[0] - rewards[1]));
        }
        sorted.sort(Comparator.comparing(gap::get));
        return sorted.subList(0, Math.min(count, sorted.size()));
    }

    static List<RankedExample> embed(List<LabeledItem> items) throws Exception {
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (LabeledItem item : items) {
            prompts.add(PromptText.of(item.prompt()));
            responses.addAll(item.responses());
        }
        float[][] promptVectors;
        float[][] responseVectors;
        try (SentenceEncoder encoder = SentenceEncoder.open(Files.createTempDirectory("active-encoder"),
                Runtime.getRuntime().availableProcessors())) {
            promptVectors = encoder.encode(prompts, SentenceEncoder.Truncation.TAIL).vectors();
            responseVectors = encoder.encode(responses, SentenceEncoder.Truncation.HEAD).vectors();
        }
        List<RankedExample> examples = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            LabeledItem item = items.get(i);
            int chosen = Integer.parseInt(item.rankings().get(0).get(0).get(0).substring(1)) - 1;
            int[] tiers = {chosen == 0 ? 0 : 1, chosen == 1 ? 0 : 1};
            String a = item.responses().get(0);
            String b = item.responses().get(1);
            String group = PromptGroup.of(item.prompt());
            examples.add(new RankedExample(i, 1, group, Split.of(group), promptVectors[i],
                    new float[][]{responseVectors[2 * i], responseVectors[2 * i + 1]},
                    new int[]{a.length(), b.length()}, new int[]{Features.words(a), Features.words(b)}, tiers,
                    new int[2]));
        }
        return examples;
    }
}
