package dev.ranklab.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Agreement between annotators who ranked the same items (overlap), for rankings with ties:
 * <ul>
 * <li>pairwise agreement: the share of (item, response pair, annotator pair) triples in which both annotators order
 * the two responses the same way (better, worse or tied);</li>
 * <li>Kendall's τ-b between two annotators' rankings of one item (ties corrected), averaged over (item, annotator
 * pair) where it is defined;</li>
 * <li>Krippendorff's α, ordinal, with (item, response) as units and the tier an annotator put the response in as
 * the value.</li>
 * </ul>
 */
public final class Agreement {

    /** One annotator's ranking of one item: response id → tier (0 = best; equal tiers are ties). */
    public record Judgment(long itemId, String annotator, Map<String, Integer> tiers) {
    }

    /**
     * One annotator's agreement with the others on the items they shared, and with the items' consensus (the
     * export's ranked-pairs merge of all their rankings) as the share of response pairs ordered as the consensus
     * orders them; {@code flagged} when it is below the
     * threshold asked for (an annotator to look at, not a verdict: the others may be the ones who are wrong).
     */
    public record AnnotatorAgreement(String annotator, int sharedItems, long comparisons, Double pairwiseAgreement,
            Double kendallTauB, Double consensusAgreement, boolean flagged) {
    }

    /** The campaign's agreement; null where nothing could be compared. */
    @Schema(name = "Agreement")
    public record Result(int items, long comparisons, Double pairwiseAgreement, Double kendallTauB,
            Double krippendorffAlpha, List<AnnotatorAgreement> perAnnotator) {
    }

    private Agreement() {
    }

    /** Running sums for one annotator. */
    private static final class Tally {

        long lastItem = Long.MIN_VALUE;
        int items;
        long triples;
        long agreeing;
        double tauSum;
        int tauCount;
        long consensusPairs;
        long consensusAgreeing;

        void sharedItem(long itemId) {
            if (itemId != lastItem) {
                lastItem = itemId;
                items++;
            }
        }
    }

    public static Result of(List<Judgment> judgments) {
        return of(judgments, 0);
    }

    /** @param flagBelow annotators whose pairwise agreement with the others is below this are flagged */
    public static Result of(List<Judgment> judgments, double flagBelow) {
        Map<Long, List<Judgment>> byItem = new TreeMap<>();
        for (Judgment judgment : judgments) {
            byItem.computeIfAbsent(judgment.itemId(), id -> new ArrayList<>()).add(judgment);
        }
        Accumulator accumulator = new Accumulator();
        byItem.values().forEach(accumulator::add);
        return accumulator.result(flagBelow);
    }

    /**
     * Agreement measured one item at a time, so that a campaign's rankings can stream through it in item order
     * instead of being held all at once; each item's work is on arrays indexed by response.
     */
    public static final class Accumulator {

        private final Map<String, Tally> perAnnotator = new TreeMap<>();
        private final Krippendorff.Coincidences coincidences = new Krippendorff.Coincidences();
        private long triples;
        private long agreeing;
        private double tauSum;
        private int tauCount;
        private int items;

        /** One item's judgments (all of the same item); an item judged once has nothing to compare. */
        public void add(List<Judgment> item) {
            if (item.size() < 2) {
                return;
            }
            items++;
            long itemId = item.get(0).itemId();
            List<String> responses = new ArrayList<>(new TreeSet<>(item.get(0).tiers().keySet()));
            int n = responses.size();
            int[][] tiers = new int[item.size()][];
            for (int a = 0; a < item.size(); a++) {
                tiers[a] = indexed(item.get(a).tiers(), responses);
            }
            int[] consensus = Consensus.rankedPairs(tiers);
            for (int a = 0; a < item.size(); a++) {
                long[] counts = compare(tiers[a], consensus);
                Tally tally = tally(item.get(a).annotator());
                tally.consensusPairs += counts[1];
                tally.consensusAgreeing += counts[0];
            }
            int[] values = new int[item.size()];
            for (int r = 0; r < n; r++) {
                int m = 0;
                for (int[] judged : tiers) {
                    if (judged[r] >= 0) {
                        values[m++] = judged[r] + 1;
                    }
                }
                coincidences.addUnit(values, m);
            }
            for (int a = 0; a < item.size(); a++) {
                for (int b = a + 1; b < item.size(); b++) {
                    long[] counts = compare(tiers[a], tiers[b]);
                    Double tau = tauB(counts);
                    triples += counts[1];
                    agreeing += counts[0];
                    if (tau != null) {
                        tauSum += tau;
                        tauCount++;
                    }
                    for (int judged : new int[]{a, b}) {
                        Tally tally = tally(item.get(judged).annotator());
                        tally.sharedItem(itemId);
                        tally.triples += counts[1];
                        tally.agreeing += counts[0];
                        if (tau != null) {
                            tally.tauSum += tau;
                            tally.tauCount++;
                        }
                    }
                }
            }
        }

        private Tally tally(String annotator) {
            return perAnnotator.computeIfAbsent(annotator, name -> new Tally());
        }

        public Result result(double flagBelow) {
            List<AnnotatorAgreement> annotators = new ArrayList<>();
            perAnnotator.forEach((name, tally) -> {
                Double pairwise = share(tally.agreeing, tally.triples);
                annotators.add(new AnnotatorAgreement(name, tally.items, tally.triples, pairwise,
                        tally.tauCount == 0 ? null : tally.tauSum / tally.tauCount,
                        share(tally.consensusAgreeing, tally.consensusPairs),
                        pairwise != null && pairwise < flagBelow));
            });
            double alpha = coincidences.alpha(Krippendorff.Metric.ORDINAL);
            return new Result(items, triples, share(agreeing, triples), tauCount == 0 ? null : tauSum / tauCount,
                    Double.isNaN(alpha) ? null : alpha, annotators);
        }
    }

    /** A ranking's tier of each response, by the response's index in {@code responses}; -1 where it has none. */
    static int[] indexed(Map<String, Integer> tiers, List<String> responses) {
        int[] indexed = new int[responses.size()];
        for (int i = 0; i < indexed.length; i++) {
            Integer tier = tiers.get(responses.get(i));
            indexed[i] = tier == null ? -1 : tier;
        }
        return indexed;
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    /**
     * Over the response pairs both rankings contain: [same order, pairs, concordant, discordant, tied in the first
     * only, tied in the second only, tied in both].
     */
    static long[] compare(Map<String, Integer> x, Map<String, Integer> y, List<String> responses) {
        return compare(indexed(x, responses), indexed(y, responses));
    }

    /** As above, for two rankings' tiers by response index (-1: not ranked). */
    static long[] compare(int[] x, int[] y) {
        long[] counts = new long[7];
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                if (x[i] < 0 || x[j] < 0 || y[i] < 0 || y[j] < 0) {
                    continue;
                }
                int dx = Integer.signum(x[i] - x[j]);
                int dy = Integer.signum(y[i] - y[j]);
                counts[1]++;
                if (dx == dy) {
                    counts[0]++;
                }
                if (dx == 0 && dy == 0) {
                    counts[6]++;
                } else if (dx == 0) {
                    counts[4]++;
                } else if (dy == 0) {
                    counts[5]++;
                } else if (dx == dy) {
                    counts[2]++;
                } else {
                    counts[3]++;
                }
            }
        }
        return counts;
    }

    /** τ-b = (C − D) / √((n0 − n1)(n0 − n2)), n1 and n2 the pairs tied in each ranking; null when undefined. */
    static Double tauB(long[] counts) {
        long n0 = counts[1];
        long tiedFirst = counts[4] + counts[6];
        long tiedSecond = counts[5] + counts[6];
        double denominator = Math.sqrt((double) (n0 - tiedFirst) * (n0 - tiedSecond));
        if (denominator == 0) {
            return null;
        }
        return (counts[2] - counts[3]) / denominator;
    }

    /** Tiers as a map, from a ranking's list of tiers. */
    public static Map<String, Integer> tiers(List<List<String>> ranking) {
        Map<String, Integer> tiers = new HashMap<>();
        for (int t = 0; t < ranking.size(); t++) {
            for (String id : ranking.get(t)) {
                tiers.put(id, t);
            }
        }
        return tiers;
    }
}
