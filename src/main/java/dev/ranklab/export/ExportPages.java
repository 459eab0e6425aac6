package dev.ranklab.export;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.quality.AgreementService;
import dev.ranklab.quality.AgreementView;
import dev.ranklab.rankings.RankingService;
import dev.ranklab.rewardmodel.CampaignScoring;
import dev.ranklab.rewardmodel.ModelPanel;
import dev.ranklab.users.Role;
import dev.ranklab.users.UserService;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.Flash;
import dev.ranklab.web.ProblemException;

/** A campaign's data for researchers: statistics, and an export builder with counts and a preview. */
@Path("/campaigns/{id}/data")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.TEXT_HTML)
public class ExportPages {

    /**
     * The builder's fields as chosen; annotators and flags are comma-separated, as the export options take them, and
     * the format's own options (margin, TRL rows, KTO labels) are blank where left at their default.
     */
    public record BuilderForm(String format, String file, String submittedAfter, String submittedBefore,
            String annotators, String excludeAnnotators, String withFlags, String withoutFlags, boolean hideSkips,
            boolean consensus, String margin, String trlFormat, String ktoLabel, String ktoThreshold) {

        /** The export option each field gives, where the field's id is not the option's name. */
        private static final Map<String, String> FIELDS = Map.of("skips", "hideSkips");

        /**
         * The form as export options. A consensus has no skipped tasks of its own, so the skips box is not sent with
         * it; every other choice is, so that one that does not apply to the format is named rather than dropped.
         */
        Map<String, String> options() {
            Map<String, String> options = new LinkedHashMap<>();
            options.put("format", format);
            options.put("file", file);
            options.put("submittedAfter", submittedAfter);
            options.put("submittedBefore", submittedBefore);
            options.put("annotators", annotators);
            options.put("excludeAnnotators", excludeAnnotators);
            options.put("withFlags", withFlags);
            options.put("withoutFlags", withoutFlags);
            options.put("skips", hideSkips && !consensus ? "false" : null);
            options.put("aggregate", consensus ? "consensus" : null);
            options.put("margin", margin);
            options.put("trlFormat", trlFormat);
            options.put("ktoLabel", ktoLabel);
            options.put("ktoThreshold", ktoThreshold);
            return options;
        }

        public boolean only(String annotator) {
            return values(annotators).contains(annotator);
        }

        public boolean leftOut(String annotator) {
            return values(excludeAnnotators).contains(annotator);
        }

        public boolean with(String flag) {
            return values(withFlags).contains(flag);
        }

        public boolean without(String flag) {
            return values(withoutFlags).contains(flag);
        }

        /**
         * Each field the campaign's own data cannot answer, with what to do: a bound that is not a time, or one
         * after the other, and annotators or flags the campaign does not have (which would silently match nothing).
         */
        Map<String, String> errors(BuilderChoices choices) {
            Map<String, String> errors = new LinkedHashMap<>();
            OffsetDateTime from = time("submittedAfter", submittedAfter, errors);
            OffsetDateTime through = time("submittedBefore", submittedBefore, errors);
            if (from != null && through != null && !from.isBefore(through)) {
                errors.put("submittedBefore", "must be later than the day the export starts from");
            }
            unknown("annotators", annotators, choices::hasAnnotator, "annotator", errors);
            unknown("excludeAnnotators", excludeAnnotators, choices::hasAnnotator, "annotator", errors);
            unknown("withFlags", withFlags, choices::hasFlag, "flag", errors);
            unknown("withoutFlags", withoutFlags, choices::hasFlag, "flag", errors);
            notApplying(errors);
            return errors;
        }

        /** Each choice that does not apply to the format, next to its field, with why (as the API's 400 names it). */
        private void notApplying(Map<String, String> errors) {
            ExportFormat chosen;
            try {
                chosen = ExportFormat.parse(format);
            } catch (ProblemException e) {
                return;
            }
            Map<String, String> given = options();
            given.values().removeIf(value -> value == null || value.isBlank());
            ExportOptions.inapplicable(chosen, given.keySet()).forEach((name, applies) -> errors.put(
                    FIELDS.getOrDefault(name, name), "applies to " + applies.formatNames() + " only, not "
                            + chosen.fileName() + ": " + applies.why() + ". Leave it at its default or choose "
                            + (applies.formats().size() > 1 ? "one of those formats" : "that format") + "."));
        }

        private static OffsetDateTime time(String field, String value, Map<String, String> errors) {
            if (value.isEmpty()) {
                return null;
            }
            try {
                return OffsetDateTime.parse(value);
            } catch (DateTimeParseException e) {
                errors.put(field, "\"" + value + "\" is not a time; pick a day from the list (in links: an ISO-8601 "
                        + "time with offset, such as 2026-11-29T08:00:00Z)");
                return null;
            }
        }

        private static void unknown(String field, String value, Predicate<String> known, String noun,
                Map<String, String> errors) {
            List<String> unknown = values(value).stream().filter(known.negate()).toList();
            if (!unknown.isEmpty()) {
                errors.put(field, "this campaign has no " + noun + (unknown.size() > 1 ? "s " : " ")
                        + String.join(", ", unknown) + "; pick from the list");
            }
        }

        private static List<String> values(String csv) {
            return Arrays.stream(csv.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
        }
    }

    /** One choice of a select: the option's value (blank for its default) and what the page calls it. */
    public record Choice(String value, String label) {
    }

    /** A select for one of the formats' own options, with the formats it applies to from the export options. */
    public record FormatField(String id, String label, List<Choice> choices, String value) {

        public String appliesTo() {
            return ExportOptions.applies(id).formatNames();
        }
    }

    private static List<FormatField> formatFields(BuilderForm form) {
        List<Choice> ratings = new ArrayList<>(List.of(new Choice("", "5 (default)")));
        for (int r = RankingService.MIN_RATING; r <= RankingService.MAX_RATING; r++) {
            ratings.add(new Choice(Integer.toString(r), Integer.toString(r)));
        }
        return List.of(
                new FormatField("margin", "Margin", List.of(new Choice("", "tier distance (default)"),
                        new Choice("ratings", "rating difference")), form.margin()),
                new FormatField("trlFormat", "TRL rows", List.of(new Choice("", "conversational (default)"),
                        new Choice("standard", "standard: plain strings")), form.trlFormat()),
                new FormatField("ktoLabel", "KTO labels", List.of(new Choice("", "from ratings (default)"),
                        new Choice("tiers", "from tiers")), form.ktoLabel()),
                new FormatField("ktoThreshold", "Lowest desirable rating", ratings, form.ktoThreshold()));
    }

    @CheckedTemplate(basePath = "export")
    static class Templates {

        static native TemplateInstance data(Campaign campaign, DatasetStats stats, BuilderForm form,
                BuilderChoices choices, Map<String, String> errors, String error, MatchCounts counts,
                List<String> preview, String downloadUrl, List<String> formats, ModelPanel model,
                AgreementView agreement, List<ExportJobRow> jobs, List<FormatField> formatFields, boolean admin);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file picker's choices; hf (a Hugging Face dataset folder) only as a background job. */
    private static final List<String> FILES = List.of("jsonl", "parquet", "hf");

    @Inject
    CampaignService campaigns;

    @Inject
    StatsService stats;

    @Inject
    ExportService exports;

    @Inject
    ConsensusExport consensus;

    @Inject
    CampaignScoring scoring;

    @Inject
    AgreementService agreement;

    @Inject
    ExportJobService jobs;

    @Inject
    CurrentUser currentUser;

    @Inject
    UserService users;

    @GET
    public TemplateInstance data(@PathParam("id") long id, @QueryParam("format") String format,
            @QueryParam("file") String file, @QueryParam("submittedAfter") String submittedAfter,
            @QueryParam("submittedBefore") String submittedBefore, @QueryParam("annotators") List<String> annotators,
            @QueryParam("excludeAnnotators") List<String> excludeAnnotators,
            @QueryParam("withFlags") List<String> withFlags, @QueryParam("withoutFlags") List<String> withoutFlags,
            @DefaultValue("false") @QueryParam("hideSkips") boolean hideSkips,
            @DefaultValue("false") @QueryParam("consensus") boolean consensusLines, @QueryParam("margin") String margin,
            @QueryParam("trlFormat") String trlFormat, @QueryParam("ktoLabel") String ktoLabel,
            @QueryParam("ktoThreshold") String ktoThreshold) {
        Campaign campaign = campaigns.get(id);
        boolean ranking = campaign.kind == CampaignKind.RANKING;
        List<String> formats = ranking ? List.of("pairs", "trl", "kto", "rankings") : List.of("sft");
        String chosen = format != null && formats.contains(format) ? format : formats.get(0);
        BuilderForm form = new BuilderForm(chosen, file != null && FILES.contains(file) ? file : "jsonl",
                blank(submittedAfter),
                blank(submittedBefore), joined(annotators), joined(excludeAnnotators), joined(withFlags),
                joined(withoutFlags), hideSkips, consensusLines && ranking, blank(margin), blank(trlFormat),
                blank(ktoLabel), blank(ktoThreshold));
        BuilderChoices choices = stats.choices(campaign);
        Map<String, String> errors = form.errors(choices);
        if (!ranking) {
            // A demonstration campaign's builder has no fields for the ranking formats' options (only a hand-made
            // link carries them): with nothing to mark, the export's own refusal below names them instead.
            formatFields(form).forEach(field -> errors.remove(field.id()));
        }
        String error = null;
        MatchCounts counts = null;
        List<String> preview = new ArrayList<>();
        String download = null;
        if (errors.isEmpty()) {
            try {
                ExportOptions options = ExportOptions.parse(form.options(), currentUser.isAdmin());
                counts = stats.counts(campaign, options);
                ByteArrayOutputStream first = new ByteArrayOutputStream();
                if (form.consensus()) {
                    consensus.write(id, options, new LimitedLines(first, 3));
                } else {
                    exports.write(id, options, first, 3);
                }
                for (String line : first.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        preview.add(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(line)));
                    }
                }
                // A dataset folder is written by a background job only: the page offers that, not a download.
                download = options.file().equals("hf") ? null : options.link(id);
            } catch (ProblemException e) {
                error = e.detail();
            } catch (IOException e) {
                error = "the preview could not be shown";
            }
        }
        return Templates.data(campaign, stats.stats(campaign), form, choices, errors, error, counts, preview,
                download, formats, ranking ? ModelPanel.of(scoring, id) : null,
                ranking
                        ? AgreementView.of(agreement.report(id, false))
                        : null,
                jobRows(id), ranking ? formatFields(form) : List.of(), currentUser.isAdmin());
    }

    /** The builder's choices, run as a background job; the page lists it with its status. */
    @POST
    @Path("/jobs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response startJob(@PathParam("id") long id, @RestForm String format, @RestForm String file,
            @RestForm String submittedAfter, @RestForm String submittedBefore, @RestForm String annotators,
            @RestForm String excludeAnnotators, @RestForm String withFlags, @RestForm String withoutFlags,
            @DefaultValue("false") @RestForm boolean hideSkips, @DefaultValue("false") @RestForm boolean consensus,
            @RestForm String margin, @RestForm String trlFormat, @RestForm String ktoLabel,
            @RestForm String ktoThreshold) {
        String page = "/campaigns/" + id + "/data#jobs";
        try {
            BuilderForm form = new BuilderForm(format, file, submittedAfter, submittedBefore, annotators,
                    excludeAnnotators, withFlags, withoutFlags, hideSkips, consensus, margin, trlFormat, ktoLabel,
                    ktoThreshold);
            ExportJob job = jobs.start(id, currentUser.requireId(), currentUser.isAdmin(), form.options());
            return Flash.redirect(page, "Export job " + job.id + " started; it runs in the background.");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Flash.error(page, e.detail());
        }
    }

    @POST
    @Path("/jobs/{jobId}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancelJob(@PathParam("id") long id, @PathParam("jobId") long jobId) {
        String page = "/campaigns/" + id + "/data#jobs";
        try {
            if (jobs.get(jobId).campaignId != id) {
                throw ProblemException.notFound("campaign " + id + " has no export job " + jobId);
            }
            jobs.cancel(jobId, currentUser.requireId(), currentUser.getUsername(), currentUser.isAdmin());
            return Flash.redirect(page, "Export job " + jobId + " cancelled.");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Flash.error(page, e.detail());
        }
    }

    private List<ExportJobRow> jobRows(long campaignId) {
        List<ExportJob> recent = jobs.recent(campaignId, 10);
        Map<Long, String> names = users.usernames(recent.stream().map(job -> job.userId).toList());
        return recent.stream().map(job -> ExportJobRow.of(job, names.getOrDefault(job.userId, "–"),
                currentUser.requireId(), currentUser.isAdmin())).toList();
    }

    private static String blank(String value) {
        return value == null ? "" : value.strip();
    }

    /** Values ticked one by one, or given comma-separated in a link, as one comma-separated list. */
    private static String joined(List<String> values) {
        return values == null
                ? ""
                : values.stream().flatMap(value -> Arrays.stream(value.split(",")))
                        .map(String::strip).filter(value -> !value.isEmpty()).distinct()
                        .collect(Collectors.joining(","));
    }

    /** Stops a stream after some lines, for previews of the consensus export. */
    private static final class LimitedLines extends FilterOutputStream {

        private int lines;
        private final int max;

        LimitedLines(OutputStream out, int max) {
            super(out);
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            if (lines < max) {
                out.write(b);
                if (b == '\n') {
                    lines++;
                }
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
