package dev.ranklab.export;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A background export as the data page lists it: sizes and times in words, and what the viewer may do with it. */
public record ExportJobRow(long id, String what, String filters, String status, String startedBy, String created,
        String finished,
        String lines, String size, String sha256, String error, String downloadUrl, boolean cancellable) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    static ExportJobRow of(ExportJob job, String startedBy, long viewerId, boolean viewerIsAdmin) {
        boolean mayRead = viewerIsAdmin || !Boolean.TRUE.equals(job.options.get("realNames"));
        String what = (job.format.startsWith("rejection-")
                ? "rejection sampling · " + job.format.substring("rejection-".length())
                : job.format) + " · " + job.file
                + ("consensus".equals(job.options.get("aggregate")) ? " · consensus" : "")
                + (Boolean.TRUE.equals(job.options.get("realNames")) ? " · real names" : "");
        return new ExportJobRow(job.id, what, filters(job.options), job.status.name(), startedBy,
                WHEN.format(job.createdAt),
                job.finishedAt == null ? "" : WHEN.format(job.finishedAt),
                job.status == ExportJob.Status.RUNNING && job.lines == 0
                        ? "–"
                        : String.format(Locale.ROOT, "%,d",
                                job.lines)
                                + (job.status.isUnfinished() && job.options.get("prompts") != null
                                        ? " of " + job.options.get("prompts") + " prompts"
                                        : "")
                                + promptsFailed(job),
                job.bytes == null ? "" : size(job.bytes), job.sha256 == null ? "" : job.sha256,
                job.error == null ? "" : job.error,
                job.status == ExportJob.Status.COMPLETED && mayRead ? "/api/v1/exports/" + job.id + "/file" : null,
                job.status.isUnfinished() && (viewerIsAdmin || job.userId == viewerId));
    }

    /** Rejection sampling's prompts left out, which its lines alone do not show. */
    private static String promptsFailed(ExportJob job) {
        Object failed = job.manifest == null ? null : job.manifest.get("promptsFailed");
        return failed instanceof Number n && n.longValue() > 0
                ? ", " + n + " of " + job.options.get("prompts") + " prompts failed (see the manifest)"
                : "";
    }

    /** The options that narrow or change the export, in the API's words; defaults are left out. */
    static String filters(Map<String, Object> options) {
        List<String> parts = new ArrayList<>();
        if ("rejectionSampling".equals(options.get("kind"))) {
            parts.add(options.get("n") + " samples a prompt from " + options.get("endpoint") + ", scored by version "
                    + options.get("version"));
            parts.add(options.get("prompts") + ("upload".equals(options.get("source"))
                    ? " uploaded prompts"
                    : " prompts of the campaign"));
            return String.join(" · ", parts);
        }
        for (String name : List.of("submittedAfter", "submittedBefore", "annotators", "excludeAnnotators", "withFlags",
                "withoutFlags", "minAgreement", "scoreVersion")) {
            Object value = options.get(name);
            if (value instanceof List<?> list && !list.isEmpty()) {
                parts.add(name + " " + String.join(", ", list.stream().map(String::valueOf).toList()));
            } else if (value != null && !(value instanceof List<?>)) {
                parts.add(name + " " + value);
            }
        }
        if (Boolean.FALSE.equals(options.get("skips"))) {
            parts.add("no skipped or unrankable tasks");
        }
        if (Boolean.TRUE.equals(options.get("includeRejected"))) {
            parts.add("with rejected work");
        }
        if ("ratings".equals(options.get("margin"))) {
            parts.add("rating margins");
        }
        if ("standard".equals(options.get("trlFormat"))) {
            parts.add("standard TRL");
        }
        return String.join(" · ", parts);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
