package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class GroupedCrossValidationTest {

    static {
        Djl.offline();
    }

    /**
     * K = 2 rankings ordered by a hidden linear function of the response embeddings, three rankings per prompt
     * group (as HH's dialogues that open alike), the preferred response shorter in two of three.
     */
    static List<RankedExample> grouped(int rankings, long seed) {
        Random random = new Random(seed);
        float[] truth = RewardTrainerTest.unit(new Random(7), SentenceEncoder.DIMENSIONS);
        List<RankedExample> examples = new ArrayList<>();
        for (int n = 0; n < rankings; n++) {
            String group = "topic " + n / 3;
            float[] prompt = RewardTrainerTest.unit(random, SentenceEncoder.DIMENSIONS);
            float[][] responses = {RewardTrainerTest.unit(random, SentenceEncoder.DIMENSIONS),
                    RewardTrainerTest.unit(random, SentenceEncoder.DIMENSIONS)};
            double a = 0;
            double b = 0;
            for (int j = 0; j < SentenceEncoder.DIMENSIONS; j++) {
                a += truth[j] * responses[0][j];
                b += truth[j] * responses[1][j];
            }
            int[] tiers = a > b ? new int[]{0, 1} : new int[]{1, 0};
            int winner = a > b ? 0 : 1;
            int[] lengths = new int[2];
            lengths[winner] = n % 3 == 0 ? 400 : 100;
            lengths[1 - winner] = 200;
            examples.add(new RankedExample(n, 1, group, Split.of(group), prompt, responses, lengths,
                    new int[]{lengths[0] / 5, lengths[1] / 5}, tiers, new int[2]));
        }
        return examples;
    }

    @Test
    void everyGroupIsInExactlyOneFoldAndTheFoldsAreBalanced() {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 103; i++) {
            groups.add("group " + i);
            groups.add("group " + i);
        }
        Map<String, Integer> folds = GroupedFolds.assign(groups, 5);
        assertEquals(103, folds.size());
        Map<Integer, Long> sizes = folds.values().stream()
                .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
        assertEquals(5, sizes.size());
        assertTrue(sizes.values().stream().allMatch(size -> size == 20 || size == 21), sizes.toString());
        List<String> reversed = new ArrayList<>(groups);
        java.util.Collections.reverse(reversed);
        assertEquals(folds, GroupedFolds.assign(reversed, 5), "the assignment depends on the groups only");
    }

    /** The nesting: what the procedure is given (and so every choice it makes) never holds a tested group. */
    @Test
    void noChoiceEverSeesTheGroupsItIsTestedOn() throws Exception {
        List<RankedExample> examples = grouped(300, 11);
        Map<String, Integer> foldOf = GroupedFolds.assign(examples, GroupedCrossValidation.FOLDS);
        List<Set<String>> seen = new ArrayList<>();
        TrainingProcedure real = new TrainingProcedure(Hyperparameters.defaults());
        CrossValidation cv = GroupedCrossValidation.run(examples, GroupedCrossValidation.FOLDS, training -> {
            seen.add(training.stream().map(RankedExample::group).collect(Collectors.toSet()));
            return real.fit(training);
        }, null);

        assertEquals(GroupedCrossValidation.FOLDS, seen.size());
        for (int fold = 0; fold < seen.size(); fold++) {
            int tested = fold;
            Set<String> testGroups = new HashSet<>(foldOf.keySet());
            testGroups.removeIf(group -> foldOf.get(group) != tested);
            Set<String> overlap = new HashSet<>(seen.get(fold));
            overlap.retainAll(testGroups);
            assertTrue(overlap.isEmpty(), "fold " + fold + " trained on its test groups " + overlap);
            assertEquals(foldOf.size() - testGroups.size(), seen.get(fold).size());
        }
        assertEquals(300, cv.pairs());
        assertEquals(100, cv.groups());
        // Far too few rankings to learn a 384-dimensional preference well, but clearly better than chance.
        assertTrue(cv.accuracyLow() > 0.5, cv.toString());
        // The preferred response is the shorter one in two rankings of three.
        assertEquals(2.0 / 3, cv.shorterWins(), 1e-9);
        assertTrue(cv.accuracyLow() < cv.accuracy() && cv.accuracy() < cv.accuracyHigh(), cv.toString());
        assertEquals(cv.accuracy() - cv.shorterWins(), cv.difference(), 1e-9);
        assertEquals(GroupedCrossValidation.FOLDS, cv.foldAccuracies().size());
    }

    @Test
    void tooFewGroupsAreNotCrossValidated() throws Exception {
        assertNull(GroupedCrossValidation.run(grouped(27, 3), 5, training -> {
            throw new AssertionError("nothing should be trained");
        }, null));
    }

    /** Two pairs of one prompt are one draw, not two: the interval widens when pairs share their group. */
    @Test
    void theIntervalCountsGroupsNotPairs() {
        ClusteredMean independent = ClusteredMean.of(List.of(1.0, 1.0, 0.0, 0.0), List.of("a", "b", "c", "d"));
        assertEquals(0.5, independent.mean(), 1e-12);
        assertEquals(1.96 * Math.sqrt(4 * 0.25) / 4, independent.halfWidth(), 1e-12);
        ClusteredMean clustered = ClusteredMean.of(List.of(1.0, 1.0, 0.0, 0.0), List.of("a", "a", "b", "b"));
        assertEquals(1.96 * Math.sqrt(2.0) / 4, clustered.halfWidth(), 1e-12);
        assertEquals(2, clustered.groups());
    }
}
