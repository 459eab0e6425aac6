package dev.ranklab.rewardmodel;

import java.util.ArrayList;
import java.util.List;

/**
 * One ranking as training sees it: the prompt's and the K responses' embeddings, each response's tier (0 = best;
 * equal tiers are ties), and what the features and baselines need of the texts.
 *
 * @param group the prompt's {@link PromptGroup}: rankings of one group always land on the same side of a split
 * @param split where the ranking's prompt group falls: training, validation or held-out
 * @param lengths the responses' lengths in characters (features, and the "shorter wins" baseline)
 * @param words the responses' lengths in words
 * @param ratings the 1–7 ratings, or 0 where none was given
 */
public record RankedExample(long rankingId, long campaignId, String group, Split split, float[] prompt,
        float[][] responses,
        int[] lengths, int[] words, int[] tiers, int[] ratings) {

    /** One ordered pair: response {@code winner} was ranked above {@code loser}. */
    public record Pair(int winner, int loser, int tierDistance, int ratingGap) {
    }

    /** Every pair in different tiers: K·(K−1)/2 of them when nothing is tied. */
    public List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < tiers.length; i++) {
            for (int j = 0; j < tiers.length; j++) {
                if (tiers[i] < tiers[j]) {
                    int gap = ratings[i] > 0 && ratings[j] > 0 ? ratings[i] - ratings[j] : 0;
                    pairs.add(new Pair(i, j, tiers[j] - tiers[i], gap));
                }
            }
        }
        return pairs;
    }

    public int size() {
        return tiers.length;
    }

    /** The feature vector of response {@code i}, unstandardised. */
    public float[] features(int i) {
        return Features.of(prompt, responses[i], lengths[i], words[i]);
    }
}
