package dev.ranklab.export;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.ranklab.web.ProblemException;

/**
 * Everything an export is asked for, bound alike from the streaming export's query, a background job's JSON body and
 * the data page's form, and checked once: an unknown option, or one that does not apply to the chosen format or
 * file, is refused with a 400 naming it rather than silently ignored.
 *
 * @param raw the options as given (blank values dropped), which {@link #link} renders back
 */
public record ExportOptions(ExportFormat format, String file, boolean gzip, boolean realNames, boolean consensus,
        ExportFilter filter, ExportShape shape, PromptSplit split, KtoLabels kto, Map<String, String> raw) {

    /** The options each export knows, in the order a link lists them. */
    static final List<String> NAMES = List.of("format", "file", "gzip", "realNames", "aggregate", "submittedAfter",
            "submittedBefore", "annotators", "excludeAnnotators", "withFlags", "withoutFlags", "skips",
            "minAgreement", "includeRejected", "margin", "trlFormat", "includeScores", "scoreVersion", "split",
            "testFraction", "validationFraction", "seed", "ktoLabel", "ktoThreshold");

    /** The formats an option applies to, and why it applies to those only, in words the data page shows. */
    public record Applies(Set<ExportFormat> formats, String why) {

        /** The formats in their fixed order, as "rankings", "pairs and trl" or "rankings, pairs, trl and kto". */
        public String formatNames() {
            List<String> names = Arrays.stream(ExportFormat.values()).filter(formats::contains)
                    .map(ExportFormat::fileName).toList();
            return names.size() == 1
                    ? names.get(0)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
        }
    }

    private static final String FLAGS = "demonstrations carry no flags";

    /** Formats each option applies to, and why; options not listed apply to all. */
    private static final Map<String, Applies> APPLIES = Map.ofEntries(
            Map.entry("skips", new Applies(Set.of(ExportFormat.RANKINGS),
                    "only rankings list skipped and unrankable tasks")),
            Map.entry("margin", new Applies(Set.of(ExportFormat.PAIRS, ExportFormat.TRL),
                    "a margin is how strongly a pair's first response beats the second")),
            Map.entry("trlFormat", new Applies(Set.of(ExportFormat.TRL, ExportFormat.KTO),
                    "only TRL's formats come as conversational or standard rows")),
            Map.entry("includeScores", new Applies(Set.of(ExportFormat.RANKINGS, ExportFormat.PAIRS),
                    "reward-model scores are written into rankings and pairs")),
            Map.entry("scoreVersion", new Applies(Set.of(ExportFormat.RANKINGS, ExportFormat.PAIRS),
                    "reward-model scores are written into rankings and pairs")),
            Map.entry("withFlags", new Applies(ExportFormat.RANKED, FLAGS)),
            Map.entry("withoutFlags", new Applies(ExportFormat.RANKED, FLAGS)),
            Map.entry("minAgreement", new Applies(ExportFormat.RANKED, "agreement is measured between rankings")),
            Map.entry("includeRejected", new Applies(ExportFormat.RANKED, "reviewers reject rankings")),
            Map.entry("ktoLabel", new Applies(Set.of(ExportFormat.KTO),
                    "only KTO rows are labelled desirable or undesirable")),
            Map.entry("ktoThreshold", new Applies(Set.of(ExportFormat.KTO),
                    "only KTO rows are labelled desirable or undesirable")));

    /** The formats this option applies to, and why; null for an option that applies to every format. */
    public static Applies applies(String name) {
        return APPLIES.get(name);
    }

    /** Each of the given options that does not apply to the format, with the formats it applies to, by name. */
    public static Map<String, Applies> inapplicable(ExportFormat format, Collection<String> given) {
        Map<String, Applies> refused = new TreeMap<>();
        for (String name : given) {
            Applies applies = APPLIES.get(name);
            if (applies != null && !applies.formats().contains(format)) {
                refused.put(name, applies);
            }
        }
        return refused;
    }

    /**
     * Binds and checks the options.
     *
     * @param given option name to value as sent; blank values count as absent
     * @param admin whether the caller may ask for usernames
     */
    public static ExportOptions parse(Map<String, String> given, boolean admin) {
        Map<String, String> raw = new LinkedHashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (String name : NAMES) {
            String value = given.get(name);
            if (value != null && !value.isBlank()) {
                raw.put(name, value.strip());
            }
        }
        given.keySet().stream().filter(name -> !NAMES.contains(name)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw ProblemException.badRequest("unknown export option" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; the options are " + String.join(", ", NAMES));
        }
        ExportFormat format = ExportFormat.parse(raw.get("format"));
        String file = raw.getOrDefault("file", "jsonl").toLowerCase(Locale.ROOT);
        if (!file.equals("jsonl") && !file.equals("parquet") && !file.equals("hf")) {
            throw ProblemException.badRequest("file must be jsonl, parquet or hf");
        }
        boolean gzip = ExportFilter.flag("gzip", raw.get("gzip"), false);
        if (gzip && !file.equals("jsonl")) {
            throw ProblemException.badRequest("gzip applies to jsonl; Parquet files are compressed inside");
        }
        if (file.equals("hf") && "none".equalsIgnoreCase(raw.get("split"))) {
            throw ProblemException.badRequest("file=hf splits by prompt; leave split out or set split=prompt");
        }
        boolean realNames = ExportFilter.flag("realNames", raw.get("realNames"), false);
        if (realNames && !admin) {
            throw ProblemException.forbidden("realNames=true is for admins; researchers get pseudonyms");
        }
        boolean consensus = switch (raw.getOrDefault("aggregate", "none").toLowerCase(Locale.ROOT)) {
            case "none" -> false;
            case "consensus" -> true;
            default -> throw ProblemException.badRequest("aggregate must be none or consensus");
        };
        List<String> refused = new ArrayList<>(inapplicable(format, raw.keySet()).keySet());
        if (!refused.isEmpty()) {
            throw ProblemException.badRequest(String.join(", ", refused) + (refused.size() > 1 ? " do" : " does")
                    + " not apply to format=" + format.fileName() + "; leave " + (refused.size() > 1 ? "them" : "it")
                    + " out");
        }
        if (consensus) {
            consensusApplies(format, raw);
        }
        ExportFilter filter = ExportFilter.parse(raw.get("submittedAfter"), raw.get("submittedBefore"),
                raw.get("annotators"), raw.get("excludeAnnotators"), raw.get("withFlags"), raw.get("withoutFlags"),
                raw.get("skips"), raw.get("minAgreement"), raw.get("includeRejected"));
        ExportShape shape = ExportShape.parse(raw.get("margin"), raw.get("trlFormat"))
                .withScores(ScoreVersions.resolve(ExportFilter.flag("includeScores", raw.get("includeScores"), false),
                        raw.get("scoreVersion"), format));
        // A Hugging Face dataset is made of splits: it is split by prompt whether or not the caller says so.
        PromptSplit split = PromptSplit.parse(file.equals("hf") ? "prompt" : raw.get("split"), raw.get("testFraction"),
                raw.get("validationFraction"), raw.get("seed"));
        KtoLabels kto = KtoLabels.parse(consensus ? "tiers" : raw.get("ktoLabel"), raw.get("ktoThreshold"), format);
        return new ExportOptions(format, file, gzip, realNames, consensus, filter, shape, split, kto, Map.copyOf(raw));
    }

    /**
     * A consensus merges an item's rankings into tiers: it has no skips, ratings or scores of its own, so options
     * about those are refused, and KTO labels come from its tiers.
     */
    private static void consensusApplies(ExportFormat format, Map<String, String> raw) {
        if (format == ExportFormat.SFT) {
            throw ProblemException.badRequest("aggregate=consensus applies to rankings, pairs, trl and kto");
        }
        for (String name : List.of("skips", "includeScores", "scoreVersion", "margin", "ktoThreshold")) {
            if (raw.containsKey(name)) {
                throw ProblemException.badRequest(name + " does not apply to aggregate=consensus; leave it out");
            }
        }
        if ("ratings".equalsIgnoreCase(raw.get("ktoLabel"))) {
            throw ProblemException.badRequest("ktoLabel=ratings does not apply to aggregate=consensus, which has no "
                    + "ratings; use ktoLabel=tiers");
        }
    }

    /** The options as a string map, as a background job body or the data page's form gives them. */
    public static Map<String, String> strings(Map<String, ?> body) {
        Map<String, String> given = new LinkedHashMap<>();
        if (body == null) {
            return given;
        }
        body.forEach((name, value) -> {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                given.put(name, value.toString());
            } else if (value != null) {
                throw ProblemException.badRequest(name + " must be a string, a number or true/false");
            }
        });
        return given;
    }

    /** The file name suffix of the finished export: jsonl, jsonl.gz, parquet or hf.zip (a dataset folder). */
    public String fileKind() {
        return switch (file) {
            case "parquet" -> "parquet";
            case "hf" -> "hf.zip";
            default -> gzip ? "jsonl.gz" : "jsonl";
        };
    }

    /** The streaming export's address giving these options. */
    public String link(long campaignId) {
        StringBuilder url = new StringBuilder("/api/v1/campaigns/" + campaignId + "/export");
        char separator = '?';
        for (String name : NAMES) {
            String value = raw.get(name);
            if (value != null) {
                url.append(separator).append(name).append('=').append(URLEncoder.encode(value,
                        StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return url.toString();
    }

    /** Every option with its effective value, for a job's record and its manifest. */
    public Map<String, Object> describe() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("margin", shape.ratingMargin() ? "ratings" : "tiers");
        options.put("trlFormat", shape.trlStandard() ? "standard" : "conversational");
        options.put("realNames", realNames);
        options.put("scoreVersion", shape.scoreVersion());
        options.put("minAgreement", filter.minAgreement());
        options.put("includeRejected", filter.includeRejected());
        options.put("aggregate", consensus ? "consensus" : "none");
        options.put("submittedAfter", filter.submittedAfter() == null ? null : filter.submittedAfter().toString());
        options.put("submittedBefore", filter.submittedBefore() == null ? null : filter.submittedBefore().toString());
        options.put("annotators", filter.annotators());
        options.put("excludeAnnotators", filter.excludeAnnotators());
        options.put("withFlags", filter.withFlags());
        options.put("withoutFlags", filter.withoutFlags());
        options.put("skips", filter.skips());
        options.put("split", split == null ? "none" : "prompt");
        if (split != null) {
            options.put("testFraction", split.test());
            options.put("validationFraction", split.validation());
            options.put("seed", split.seed());
        }
        if (format == ExportFormat.KTO) {
            options.put("ktoLabel", kto.fromTiers() ? "tiers" : "ratings");
            options.put("ktoThreshold", kto.threshold());
        }
        return options;
    }
}
