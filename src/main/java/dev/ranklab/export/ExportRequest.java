package dev.ranklab.export;

/**
 * A background export as asked for by the API: the same choices as the streaming export's query parameters.
 */
public record ExportRequest(
        String format,
        String file,
        Boolean gzip,
        Boolean realNames,
        String aggregate,
        String submittedAfter,
        String submittedBefore,
        String annotators,
        String excludeAnnotators,
        String withFlags,
        String withoutFlags,
        Boolean skips,
        String margin,
        String trlFormat,
        Boolean includeScores,
        Integer scoreVersion,
        Double minAgreement,
        Boolean includeRejected) {
}
