package dev.ranklab.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.ranklab.export.Consensus;

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
    public record Result(int items, long comparisons, Double pairwiseAgreement, Double kendallTauB,
            Double krippendorffAlpha, List<AnnotatorAgreement> perAnnotator) {
    }

    private Agreement() {
    }

    /** Running sums for one annotator. */
    private static final class Tally {

        final TreeSet<Long> items = new TreeSet<>();
        long triples;
        long agreeing;
        double tauSum;
        int tauCount;
        long consensusPairs;
        long consensusAgreeing;
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
        Map<String, Tally> perAnnotator = new TreeMap<>();
        List<List<Integer>> units = new ArrayList<>();
        long triples = 0;
        long agreeing = 0;
        double tauSum = 0;
        int tauCount = 0;
        int items = 0;
        for (var entry : byItem.entrySet()) {
            List<Judgment> item = entry.getValue();
            if (item.size() < 2) {
                continue;
            }
            items++;
            List<String> responses = new ArrayList<>(new TreeSet<>(item.get(0).tiers().keySet()));
            Map<String, Integer> consensus = tiers(Consensus.merge(responses,
                    item.stream().map(judgment -> ranking(judgment.tiers())).toList()).tiers());
            for (Judgment judgment : item) {
                long[] counts = compare(judgment.tiers(), consensus, responses);
                Tally tally = perAnnotator.computeIfAbsent(judgment.annotator(), name -> new Tally());
                tally.consensusPairs += counts[1];
                tally.consensusAgreeing += counts[0];
            }
            for (String response : responses) {
                List<Integer> values = new ArrayList<>();
                for (Judgment judgment : item) {
                    Integer tier = judgment.tiers().get(response);
                    if (tier != null) {
                        values.add(tier + 1);
                    }
                }
                units.add(values);
            }
            for (int a = 0; a < item.size(); a++) {
                for (int b = a + 1; b < item.size(); b++) {
                    Judgment first = item.get(a);
                    Judgment second = item.get(b);
                    long[] counts = compare(first.tiers(), second.tiers(), responses);
                    long same = counts[0];
                    long pairs = counts[1];
                    Double tau = tauB(counts);
                    triples += pairs;
                    agreeing += same;
                    if (tau != null) {
                        tauSum += tau;
                        tauCount++;
                    }
                    for (Judgment judgment : List.of(first, second)) {
                        Tally tally = perAnnotator.computeIfAbsent(judgment.annotator(), name -> new Tally());
                        tally.items.add(entry.getKey());
                        tally.triples += pairs;
                        tally.agreeing += same;
                        if (tau != null) {
                            tally.tauSum += tau;
                            tally.tauCount++;
                        }
                    }
                }
            }
        }
        List<AnnotatorAgreement> annotators = new ArrayList<>();
        perAnnotator.forEach((name, tally) -> {
            Double pairwise = share(tally.agreeing, tally.triples);
            annotators.add(new AnnotatorAgreement(name, tally.items.size(), tally.triples, pairwise,
                    tally.tauCount == 0 ? null : tally.tauSum / tally.tauCount,
                    share(tally.consensusAgreeing, tally.consensusPairs), pairwise != null && pairwise < flagBelow));
        });
        double alpha = Krippendorff.alpha(units, Krippendorff.Metric.ORDINAL);
        return new Result(items, triples, share(agreeing, triples), tauCount == 0 ? null : tauSum / tauCount,
                Double.isNaN(alpha) ? null : alpha, annotators);
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    /**
     * Over the response pairs both rankings contain: [same order, pairs, concordant, discordant, tied in the first
     * only, tied in the second only, tied in both].
     */
    static long[] compare(Map<String, Integer> x, Map<String, Integer> y, List<String> responses) {
        long[] counts = new long[7];
        for (int i = 0; i < responses.size(); i++) {
            for (int j = i + 1; j < responses.size(); j++) {
                Integer xi = x.get(responses.get(i));
                Integer xj = x.get(responses.get(j));
                Integer yi = y.get(responses.get(i));
                Integer yj = y.get(responses.get(j));
                if (xi == null || xj == null || yi == null || yj == null) {
                    continue;
                }
                int dx = Integer.signum(xi - xj);
                int dy = Integer.signum(yi - yj);
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

    /** A ranking's list of tiers, best first, from its map of response to tier. */
    static List<List<String>> ranking(Map<String, Integer> tiers) {
        TreeMap<Integer, List<String>> byTier = new TreeMap<>();
        tiers.forEach((id, tier) -> byTier.computeIfAbsent(tier, t -> new ArrayList<>()).add(id));
        byTier.values().forEach(ids -> ids.sort(null));
        return new ArrayList<>(byTier.values());
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
