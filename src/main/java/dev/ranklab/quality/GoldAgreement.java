package dev.ranklab.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Each annotator measured against gold items' reference rankings: the share of response pairs they order as the
 * reference does (better, worse or tied, as in pairwise agreement), and Kendall's τ-b with the reference.
 */
public final class GoldAgreement {

    /** One annotator against gold; {@code flagged} when the agreement is below the threshold asked for. */
    public record AnnotatorGold(String annotator, int goldTasks, long comparisons, Double agreement,
            Double kendallTauB, boolean flagged) {
    }

    /** The campaign's gold items and every annotator who ranked one. */
    @Schema(name = "GoldAgreement")
    public record Result(int goldItems, List<AnnotatorGold> perAnnotator) {
    }

    private GoldAgreement() {
    }

    /**
     * @param judgments annotators' rankings of gold items
     * @param references each gold item's reference ranking, as response → tier
     */
    public static Result of(int goldItems, List<Agreement.Judgment> judgments,
            Map<Long, Map<String, Integer>> references, double flagBelow) {
        record Tally(List<long[]> counts) {
        }
        Map<String, Tally> byAnnotator = new TreeMap<>();
        for (Agreement.Judgment judgment : judgments) {
            Map<String, Integer> reference = references.get(judgment.itemId());
            List<String> responses = new ArrayList<>(new TreeSet<>(reference.keySet()));
            byAnnotator.computeIfAbsent(judgment.annotator(), name -> new Tally(new ArrayList<>())).counts()
                    .add(Agreement.compare(judgment.tiers(), reference, responses));
        }
        List<AnnotatorGold> annotators = new ArrayList<>();
        byAnnotator.forEach((name, tally) -> {
            long same = 0;
            long pairs = 0;
            double tauSum = 0;
            int tauCount = 0;
            for (long[] counts : tally.counts()) {
                same += counts[0];
                pairs += counts[1];
                Double tau = Agreement.tauB(counts);
                if (tau != null) {
                    tauSum += tau;
                    tauCount++;
                }
            }
            Double agreement = pairs == 0 ? null : (double) same / pairs;
            annotators.add(new AnnotatorGold(name, tally.counts().size(), pairs, agreement,
                    tauCount == 0 ? null : tauSum / tauCount, agreement != null && agreement < flagBelow));
        });
        return new Result(goldItems, annotators);
    }
}
