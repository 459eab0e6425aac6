package dev.ranklab.items;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What an import did: lines stored, duplicates skipped, and each rejected line with its reason (the first
 * {@code ranklab.import.max-reported-rejections}; {@code rejectedCount} counts them all).
 */
public record ImportReport(
        long importId,
        int lines,
        int imported,
        int duplicates,
        int rejectedCount,
        List<Rejection> rejected) {

    /** A line that was not stored, and why. Lines count from 1. */
    @Schema(name = "ImportRejection")
    public record Rejection(long line, String error) {
    }

    static ImportReport of(ItemImport record) {
        return new ImportReport(record.id, record.lines, record.imported, record.duplicates, record.rejectedCount,
                record.rejected);
    }
}
