package dev.ranklab.export;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of a background export as the API document shows it: the streaming export's options as JSON fields. The
 * server reads the body with {@link ExportOptions#parse}, the same parser as the streaming export's query; this record
 * only describes it, and a test keeps its fields equal to {@link ExportOptions#NAMES}.
 */
@Schema(name = "ExportJobRequest", description = "The streaming export's options; an option that does not apply to "
        + "the format is refused with 400 naming it. As in the streaming export's query, a value may also be given "
        + "as a string (\"true\", \"0.2\").")
public record ExportJobRequest(
        @Schema(required = true, enumeration = {
                "rankings", "pairs", "trl", "kto", "sft"}) String format,
        @Schema(enumeration = {"jsonl", "parquet", "hf"}, defaultValue = "jsonl", description = "hf: a Hugging Face "
                + "dataset folder (a zip), split by prompt") String file,
        @Schema(description = "true: gzip the JSON lines") Boolean gzip,
        @Schema(description = "true: usernames instead of pseudonyms (admins only)") Boolean realNames,
        @Schema(enumeration = {"none", "consensus"}, defaultValue = "none") String aggregate,
        @Schema(description = "exclusive lower bound") OffsetDateTime submittedAfter,
        @Schema(description = "inclusive upper bound") OffsetDateTime submittedBefore,
        @Schema(description = "comma-separated names to keep") String annotators,
        @Schema(description = "comma-separated names to leave out") String excludeAnnotators,
        @Schema(description = "rankings with any of these flags (comma-separated)") String withFlags,
        @Schema(description = "rankings with none of these flags (comma-separated)") String withoutFlags,
        @Schema(description = "rankings: list skipped tasks (default true)") Boolean skips,
        @Schema(minimum = "0", maximum = "1", description = "items whose agreement is at least this") Double minAgreement,
        @Schema(description = "true: include rankings a reviewer rejected") Boolean includeRejected,
        @Schema(enumeration = {"tiers", "ratings"}, description = "pairs, trl") String margin,
        @Schema(enumeration = {"conversational", "standard"}, description = "trl, kto") String trlFormat,
        @Schema(description = "rankings, pairs: reward model scores") Boolean includeScores,
        @Schema(minimum = "1", description = "the reward model version of the scores") Integer scoreVersion,
        @Schema(enumeration = {"none", "prompt"}, defaultValue = "none") String split,
        @Schema(minimum = "0", maximum = "1", description = "split=prompt: share of prompts in test (0.1)") Double testFraction,
        @Schema(minimum = "0", maximum = "1", description = "split=prompt: share in validation (0)") Double validationFraction,
        @Schema(description = "split=prompt: a whole number (0)") Long seed,
        @Schema(enumeration = {"ratings", "tiers"}, description = "kto") String ktoLabel,
        @Schema(minimum = "1", maximum = "7", description = "kto, ktoLabel=ratings: lowest desirable rating (5)") Integer ktoThreshold){
}
