package dev.ranklab.quality;

import java.util.List;
import java.util.Locale;

/** Agreement as the data page shows it: numbers formatted, undefined ones as a dash. */
public record AgreementView(int items, long comparisons, String pairwise, String tauB, String alpha,
        List<Row> annotators, int goldItems, List<GoldRow> gold) {

    /** One annotator's line. */
    public record Row(String annotator, int sharedItems, long comparisons, String pairwise, String tauB,
            String consensus, boolean flagged) {
    }

    /** One annotator against gold. */
    public record GoldRow(String annotator, int goldTasks, long comparisons, String agreement, String tauB,
            boolean flagged) {
    }

    public static AgreementView of(AgreementService.Report report) {
        Agreement.Result result = report.annotators();
        GoldAgreement.Result gold = report.gold();
        return new AgreementView(result.items(), result.comparisons(), percent(result.pairwiseAgreement()),
                number(result.kendallTauB()), number(result.krippendorffAlpha()),
                result.perAnnotator().stream().map(a -> new Row(a.annotator(), a.sharedItems(), a.comparisons(),
                        percent(a.pairwiseAgreement()), number(a.kendallTauB()), percent(a.consensusAgreement()),
                        a.flagged())).toList(),
                gold.goldItems(), gold.perAnnotator().stream().map(g -> new GoldRow(g.annotator(), g.goldTasks(),
                        g.comparisons(), percent(g.agreement()), number(g.kendallTauB()), g.flagged())).toList());
    }

    static String percent(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f%%", value * 100);
    }

    static String number(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }
}
