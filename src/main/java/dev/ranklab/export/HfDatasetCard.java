package dev.ranklab.export;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.quality.Agreement;

/**
 * The README.md of a Hugging Face dataset folder: a YAML header the hub and {@code datasets} read (configs with a
 * data file pattern per split, the features, task categories, size category), then what a reader needs to trust the
 * data: the campaign's guidelines, counts, agreement, how the rows were made, the schema version.
 */
final class HfDatasetCard {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfDatasetCard() {
    }

    static String render(Campaign campaign, ExportOptions options, List<ExportSchema.Field> fields, int k,
            HfDatasetExport.Counts counts, Agreement.Result agreement) {
        StringBuilder card = new StringBuilder("---\n");
        card.append("pretty_name: ").append(quoted(campaign.name)).append('\n');
        card.append("task_categories:\n- ").append(options.format() == ExportFormat.RANKINGS
                ? "text-ranking"
                : "text-generation").append('\n');
        card.append("tags:\n- ranklab\n- human-feedback\n");
        switch (options.format()) {
            case PAIRS, TRL -> card.append("- preference\n- reward-modeling\n- dpo\n");
            case KTO -> card.append("- preference\n- kto\n");
            case SFT -> card.append("- sft\n");
            default -> card.append("- preference\n");
        }
        card.append("size_categories:\n- ").append(sizeCategory(counts.rows())).append('\n');
        card.append("configs:\n- config_name: default\n  data_files:\n");
        for (HfDatasetExport.SplitCount split : counts.splits()) {
            card.append("  - split: ").append(split.name()).append("\n    path: data/").append(split.name())
                    .append("-*.parquet\n");
        }
        card.append("dataset_info:\n  config_name: default\n  features:\n");
        for (ExportSchema.Field field : fields) {
            card.append("  - name: ").append(field.name()).append('\n');
            feature(card, field.type(), k, "    ");
        }
        card.append("---\n\n");
        body(card, campaign, options, counts, agreement);
        return card.toString();
    }

    /** A field's type in the header's notation ({@code datasets}' Features as YAML). */
    private static void feature(StringBuilder card, ExportSchema.Type type, int k, String indent) {
        switch (type) {
            case INTEGER -> card.append(indent).append("dtype: int64\n");
            case NUMBER -> card.append(indent).append("dtype: float64\n");
            case STRING -> card.append(indent).append("dtype: string\n");
            case BOOLEAN -> card.append(indent).append("dtype: bool\n");
            case MESSAGES -> structList(card, indent, "role", "content");
            case RESPONSES -> structList(card, indent, "id", "text", "model");
            case TIERS -> card.append(indent).append("list:\n").append(indent).append("  list: string\n");
            case STRINGS -> card.append(indent).append("list: string\n");
            case INTEGERS -> card.append(indent).append("list: int64\n");
            case RATING_PER_RESPONSE -> perResponse(card, indent, k, "dtype: int64");
            case FLAGS_PER_RESPONSE -> perResponse(card, indent, k, "list: string");
            case SCORE_PER_RESPONSE -> perResponse(card, indent, k, "dtype: float64");
            default -> throw new IllegalArgumentException(type.name());
        }
    }

    private static void structList(StringBuilder card, String indent, String... names) {
        card.append(indent).append("list:\n");
        for (String name : names) {
            card.append(indent).append("- name: ").append(name).append('\n').append(indent)
                    .append("  dtype: string\n");
        }
    }

    private static void perResponse(StringBuilder card, String indent, int k, String type) {
        card.append(indent).append("struct:\n");
        for (int i = 1; i <= k; i++) {
            card.append(indent).append("- name: r").append(i).append('\n').append(indent).append("  ")
                    .append(type).append('\n');
        }
    }

    /** The hub's size categories, by number of rows. */
    static String sizeCategory(long rows) {
        String[] names = {"1K", "10K", "100K", "1M", "10M", "100M", "1B", "10B", "100B", "1T"};
        long bound = 1_000;
        if (rows < bound) {
            return "n<1K";
        }
        for (int i = 0; i + 1 < names.length; i++) {
            if (rows < bound * 10) {
                return names[i] + "<n<" + names[i + 1];
            }
            bound *= 10;
        }
        return "n>1T";
    }

    private static void body(StringBuilder card, Campaign campaign, ExportOptions options,
            HfDatasetExport.Counts counts, Agreement.Result agreement) {
        String format = options.format().fileName();
        card.append("# ").append(campaign.name.replace("\n", " ")).append("\n\n");
        card.append("Human feedback collected with Ranklab in the ").append(campaign.kind.name()
                .toLowerCase(Locale.ROOT)).append(" campaign \"").append(campaign.name.replace("\n", " "))
                .append("\" (id ").append(campaign.id).append("), exported as `").append(format).append("`")
                .append(options.consensus() ? " with `aggregate=consensus`" : "").append(", export schema version ")
                .append(ExportSchema.VERSION).append(".\n\n");
        card.append("```python\nfrom datasets import load_dataset\ndataset = load_dataset(\"path/to/this/folder\")\n"
                + "```\n\n");

        card.append("## Splits\n\nEach distinct prompt (its whole conversation) is in exactly one split, chosen by a "
                + "hash of the seed and the prompt, so no prompt is in two splits (test share ")
                .append(options.split().test()).append(", validation share ").append(options.split().validation())
                .append(", seed ").append(options.split().seed()).append("). Every row's `split` column names its "
                        + "split.\n\n| split | rows | distinct prompts |\n| --- | --- | --- |\n");
        for (HfDatasetExport.SplitCount split : counts.splits()) {
            card.append("| ").append(split.name()).append(" | ").append(split.rows()).append(" | ")
                    .append(split.prompts()).append(" |\n");
        }
        card.append('\n');
        if (counts.annotators() != null) {
            card.append("Annotators: ").append(counts.annotators()).append(" (pseudonyms, stable within the "
                    + "campaign).");
            card.append(counts.rankings() != null ? " Rankings: " + counts.rankings() + ".\n\n" : "\n\n");
        }

        card.append("## How the rows were made\n\n").append(howMade(options)).append("\n\n");
        if (agreement != null) {
            card.append("## Agreement\n\nAmong the annotators of the whole campaign, on ").append(agreement.items())
                    .append(" items ranked more than once: pairwise agreement ")
                    .append(number(agreement.pairwiseAgreement())).append(", Kendall's tau-b ")
                    .append(number(agreement.kendallTauB())).append(", Krippendorff's alpha (ordinal) ")
                    .append(number(agreement.krippendorffAlpha())).append(".\n\n");
        }
        card.append("## Columns\n\nThe columns are those of Ranklab's `").append(format)
                .append("` export, described in its JSON Schema (`GET /api/v1/export-schemas/").append(format)
                .append(options.consensus() && options.format() == ExportFormat.RANKINGS ? "?aggregate=consensus" : "")
                .append("`). Whole numbers are int64; `metadata`, where present, is a JSON-encoded string.\n\n");
        card.append("## Export options\n\n```json\n").append(json(options.describe())).append("\n```\n\n");
        if (campaign.guidelines != null && !campaign.guidelines.isBlank()) {
            card.append("## Guidelines given to the annotators\n\n").append(campaign.guidelines.strip())
                    .append('\n');
        }
    }

    private static String howMade(ExportOptions options) {
        String merged = options.consensus()
                ? "The rankings of each item were first merged into one consensus ranking by ranked pairs (Tideman): "
                        + "pairwise majorities locked in strongest first, skipping any that would close a cycle. "
                : "";
        return switch (options.format()) {
            case RANKINGS -> options.consensus()
                    ? merged + "One row per item: its consensus tiers, how many rankings were merged and how much "
                            + "the annotators agree with the consensus."
                    : "One row per finished task: the annotator's tiers (best first; ids in one tier are tied), "
                            + "ratings from 1 to 7 and flags per response, or the reason a task was skipped or "
                            + "found unrankable.";
            case PAIRS, TRL -> merged
                    + "Each ranking orders the item's responses in tiers, ties allowed. Every pair of "
                    + "responses in different tiers gives one row, the better response as `chosen` and the worse as "
                    + "`rejected`; responses in one tier give none. `margin` is the "
                    + (options.shape().ratingMargin()
                            ? "difference of the two responses' ratings."
                            : "distance "
                                    + "between their tiers.");
            case KTO -> merged + (options.kto().fromTiers()
                    ? "Each ranking's top tier is labelled desirable (`label` true) and its bottom tier undesirable; "
                            + "tiers between, and rankings of a single tier, give no row."
                    : "Each ranked response is labelled desirable (`label` true) when its rating is at least "
                            + options.kto().threshold() + " of 7, undesirable otherwise.");
            case SFT -> "One row per demonstration: the prompt's messages followed by the answer an annotator wrote "
                    + "as the last assistant message, exactly as written.";
        };
    }

    private static String number(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** A YAML double-quoted scalar: JSON's string syntax is valid YAML. */
    private static String quoted(String text) {
        return json(text);
    }

    private static String json(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
