package dev.ranklab.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ranklab.datasets.LabeledItem;
import dev.ranklab.datasets.PandaLm;
import dev.ranklab.quality.Agreement.Judgment;

class AgreementTest {

    /**
     * One item, responses a, b, c. X: a > b > c. Y: a > c > b. Z: a = b > c.
     * X–Y agree on (a,b) and (a,c), not (b,c): 2/3, τ-b = (2 − 1)/3 = 1/3.
     * X–Z agree on (a,c) and (b,c), not (a,b) (tied for Z): 2/3, τ-b = 2/√(3·2).
     * Y–Z agree on (a,c) only: 1/3, τ-b = (1 − 1)/√(3·2) = 0.
     */
    @Test
    void matchesAHandComputedCase() {
        List<Judgment> judgments = List.of(
                new Judgment(1, "X", Map.of("a", 0, "b", 1, "c", 2)),
                new Judgment(1, "Y", Map.of("a", 0, "c", 1, "b", 2)),
                new Judgment(1, "Z", Map.of("a", 0, "b", 0, "c", 1)),
                // A second item ranked once has nothing to compare.
                new Judgment(2, "X", Map.of("a", 0, "b", 1, "c", 2)));
        Agreement.Result result = Agreement.of(judgments);
        assertEquals(1, result.items());
        assertEquals(9, result.comparisons());
        assertEquals(5.0 / 9, result.pairwiseAgreement(), 1e-12);
        double xz = 2 / Math.sqrt(6);
        assertEquals((1.0 / 3 + xz + 0) / 3, result.kendallTauB(), 1e-12);
        assertNotNull(result.krippendorffAlpha());
        Agreement.AnnotatorAgreement x = result.perAnnotator().get(0);
        // Y agrees with the others on 3 of 6 pairs, Z on 3 of 6, X on 4 of 6: at 0.6 only Y and Z are flagged.
        List<Boolean> flagged = Agreement.of(judgments, 0.6).perAnnotator().stream()
                .map(Agreement.AnnotatorAgreement::flagged).toList();
        assertEquals(List.of(false, true, true), flagged);
        assertEquals("X", x.annotator());
        assertEquals(1, x.sharedItems());
        assertEquals(4.0 / 6, x.pairwiseAgreement(), 1e-12);
        assertEquals((1.0 / 3 + xz) / 2, x.kendallTauB(), 1e-12);
    }

    @Test
    void identicalRankingsAgreeFullyAndNothingSharedGivesNulls() {
        Agreement.Result same = Agreement.of(List.of(new Judgment(1, "X", Map.of("a", 0, "b", 1)),
                new Judgment(1, "Y", Map.of("a", 0, "b", 1)), new Judgment(2, "X", Map.of("a", 1, "b", 0)),
                new Judgment(2, "Y", Map.of("a", 1, "b", 0))));
        assertEquals(1.0, same.pairwiseAgreement());
        assertEquals(1.0, same.kendallTauB());
        assertEquals(1.0, same.krippendorffAlpha(), 1e-12);
        Agreement.Result none = Agreement.of(List.of(new Judgment(1, "X", Map.of("a", 0, "b", 1))));
        assertEquals(0, none.items());
        assertNull(none.pairwiseAgreement());
        assertNull(none.kendallTauB());
        assertNull(none.krippendorffAlpha());
    }

    /** PandaLM's three annotators, against a direct count over the tier lists written for this test. */
    @Test
    void pandaLmAgreesWithAnIndependentCount() throws Exception {
        // The shared data sit beside the checkout (../shared/data), in CI too; -Dranklab.shared.data points elsewhere.
        Path file = Path.of(System.getProperty("ranklab.shared.data", "../shared/data"), "pandalm-testset-v1.json");
        assertTrue(Files.exists(file), "PandaLM's test set is expected at " + file.toAbsolutePath());
        List<LabeledItem> items;
        try (Reader reader = Files.newBufferedReader(file)) {
            items = PandaLm.read(reader, 5).items();
        }
        List<Judgment> judgments = new ArrayList<>();
        long same = 0;
        long all = 0;
        for (int i = 0; i < items.size(); i++) {
            List<List<List<String>>> rankings = items.get(i).rankings();
            for (int a = 0; a < rankings.size(); a++) {
                judgments.add(new Judgment(i, "annotator" + (a + 1), Agreement.tiers(rankings.get(a))));
                for (int b = a + 1; b < rankings.size(); b++) {
                    for (int r = 1; r <= 5; r++) {
                        for (int s = r + 1; s <= 5; s++) {
                            all++;
                            if (order(rankings.get(a), "r" + r, "r" + s) == order(rankings.get(b), "r" + r,
                                    "r" + s)) {
                                same++;
                            }
                        }
                    }
                }
            }
        }
        Agreement.Result result = Agreement.of(judgments);
        assertEquals(all, result.comparisons());
        assertEquals((double) same / all, result.pairwiseAgreement(), 1e-12);
        assertEquals(3, result.perAnnotator().size());
        // Three careful annotators of the same comparisons agree far more often than chance (1/3 for three outcomes).
        assertTrue(result.pairwiseAgreement() > 0.6, "pairwise agreement " + result.pairwiseAgreement());
        assertTrue(result.krippendorffAlpha() > 0.3, "alpha " + result.krippendorffAlpha());
    }

    /** −1 if x is in a better tier than y, 1 if worse, 0 if tied: by position in the list of tiers. */
    private static int order(List<List<String>> tiers, String x, String y) {
        int tx = -1;
        int ty = -1;
        for (int t = 0; t < tiers.size(); t++) {
            if (tiers.get(t).contains(x)) {
                tx = t;
            }
            if (tiers.get(t).contains(y)) {
                ty = t;
            }
        }
        return Integer.compare(tx, ty);
    }
}
