package dev.ranklab.export;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.ranklab.web.Flags;
import dev.ranklab.web.ProblemException;

/**
 * Which submissions go out: a time window, annotators in or out (by the name the export shows, pseudonym or
 * username), rankings with or without some flags, and whether skipped and unrankable tasks are listed.
 */
public record ExportFilter(OffsetDateTime submittedAfter, OffsetDateTime submittedBefore, List<String> annotators,
        List<String> excludeAnnotators, List<String> withFlags, List<String> withoutFlags, boolean skips,
        Double minAgreement, boolean includeRejected) {

    static final int MAX_VALUES = 1_000;

    public static final ExportFilter ALL = new ExportFilter(null, null, List.of(), List.of(), List.of(), List.of(),
            true, null, false);

    public static ExportFilter parse(String after, String before, String annotators, String excludeAnnotators,
            String withFlags, String withoutFlags, String skips) {
        return parse(after, before, annotators, excludeAnnotators, withFlags, withoutFlags, skips, null, null);
    }

    /**
     * @param minAgreement keep only items whose rankings agree at least this much (0–1, pairwise agreement among
     *            the item's annotators); items ranked once have no agreement and are left out
     */
    public static ExportFilter parse(String after, String before, String annotators, String excludeAnnotators,
            String withFlags, String withoutFlags, String skips, String minAgreement, String includeRejected) {
        OffsetDateTime from = instant("submittedAfter", after);
        OffsetDateTime to = instant("submittedBefore", before);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.badRequest("submittedAfter must be before submittedBefore");
        }
        boolean withSkips = flag("skips", skips, true);
        return new ExportFilter(from, to, list("annotators", annotators), list("excludeAnnotators", excludeAnnotators),
                list("withFlags", withFlags), list("withoutFlags", withoutFlags), withSkips,
                share("minAgreement", minAgreement), flag("includeRejected", includeRejected, false));
    }

    /** A true/false query parameter; absent or blank: the fallback. */
    static boolean flag(String name, String value, boolean fallback) {
        return Flags.parse(name, value, fallback);
    }

    private static Double share(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double share = Double.parseDouble(value.strip());
            if (share >= 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest(name + " must be a number from 0 to 1, e.g. 0.8");
    }

    private static OffsetDateTime instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException
                    .badRequest(name + " must be an ISO-8601 time with offset, e.g. 2026-11-29T08:00:00Z");
        }
    }

    private static List<String> list(String name, String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> values = new ArrayList<>(Arrays.stream(value.split(",")).map(String::strip)
                .filter(v -> !v.isEmpty()).distinct().toList());
        if (values.size() > MAX_VALUES) {
            throw ProblemException.badRequest(name + ": at most " + MAX_VALUES + " values");
        }
        return values;
    }

    /**
     * The SQL conditions for the chosen rows, each starting with AND, with their parameters in order.
     *
     * @param finishedAt the column holding the submission time
     * @param annotator the expression of the annotator's name as exported
     * @param flags the rankings' flags column, or null where there are none
     * @param status the task status column, or null where there are no skips
     */
    Sql conditions(String finishedAt, String annotator, String flags, String status, String item,
            String rejectedAt) {
        StringBuilder sql = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        if (submittedAfter != null) {
            sql.append(" AND ").append(finishedAt).append(" > ?");
            parameters.add(submittedAfter);
        }
        if (submittedBefore != null) {
            sql.append(" AND ").append(finishedAt).append(" <= ?");
            parameters.add(submittedBefore);
        }
        if (!annotators.isEmpty()) {
            sql.append(" AND ").append(annotator).append(" = ANY (?)");
            parameters.add(annotators.toArray(String[]::new));
        }
        if (!excludeAnnotators.isEmpty()) {
            sql.append(" AND NOT (").append(annotator).append(" = ANY (?))");
            parameters.add(excludeAnnotators.toArray(String[]::new));
        }
        String flagged = "EXISTS (SELECT 1 FROM jsonb_each(coalesce(" + flags + ", '{}'::jsonb)) f "
                + "CROSS JOIN LATERAL jsonb_array_elements_text(f.value) code WHERE code = ANY (?))";
        if (flags != null && !withFlags.isEmpty()) {
            sql.append(" AND ").append(flagged);
            parameters.add(withFlags.toArray(String[]::new));
        }
        if (flags != null && !withoutFlags.isEmpty()) {
            sql.append(" AND NOT ").append(flagged);
            parameters.add(withoutFlags.toArray(String[]::new));
        }
        if (status != null && !skips) {
            sql.append(" AND ").append(status).append(" = 'SUBMITTED'");
        }
        if (item != null) {
            // Gold items' rankings measure annotators; they are not data. A NOT IN over the (small) partial index of
            // gold items is hashed once per query; a function called per row cost exports a good part of their speed.
            sql.append(" AND ").append(item).append(" NOT IN (SELECT id FROM items WHERE gold_ranking IS NOT NULL)");
        }
        if (rejectedAt != null && !includeRejected) {
            sql.append(" AND ").append(rejectedAt).append(" IS NULL");
        }
        if (minAgreement != null) {
            if (item == null) {
                throw ProblemException.badRequest("minAgreement applies to rankings, not demonstrations");
            }
            // The item's stored agreement (kept current by a trigger on rankings), not item_agreement() per row.
            sql.append(" AND (SELECT agreement FROM items WHERE id = ").append(item).append(") >= ?");
            parameters.add(minAgreement);
        }
        return new Sql(sql.toString(), parameters);
    }

    /** A piece of SQL and the values of its parameters. */
    record Sql(String text, List<Object> parameters) {
    }
}
