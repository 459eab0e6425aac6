package dev.ranklab.quality;

import java.util.List;
import java.util.Locale;

/** Agreement as the data page shows it: numbers formatted, undefined ones as a dash. */
public record AgreementView(int items, long comparisons, String pairwise, String tauB, String alpha,
        List<Row> annotators) {

    /** One annotator's line. */
    public record Row(String annotator, int sharedItems, long comparisons, String pairwise, String tauB,
            boolean flagged) {
    }

    public static AgreementView of(Agreement.Result result) {
        return new AgreementView(result.items(), result.comparisons(), percent(result.pairwiseAgreement()),
                number(result.kendallTauB()), number(result.krippendorffAlpha()),
                result.perAnnotator().stream().map(a -> new Row(a.annotator(), a.sharedItems(), a.comparisons(),
                        percent(a.pairwiseAgreement()), number(a.kendallTauB()), a.flagged())).toList());
    }

    static String percent(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f%%", value * 100);
    }

    static String number(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }
}
