package dev.ranklab.export;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.Campaign;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** Datasets for training code, streamed. */
@Path("/api/v1/campaigns/{id}/export")
@Tag(name = "Exports")
@RolesAllowed(Role.RESEARCHER_NAME)
public class ExportApi {

    @Inject
    ExportService exports;

    @Inject
    ParquetExport parquet;

    @Inject
    ConsensusExport consensus;

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditLog audit;

    @Context
    UriInfo uri;

    @GET
    @Operation(summary = "Stream a dataset as JSON lines or a Parquet file: rankings, pairs, trl, kto or sft", description = "Annotators appear as pseudonyms, stable within the campaign; realNames=true shows "
            + "usernames, for admins only. gzip=true compresses the stream. An unknown option, or one that does not "
            + "apply to the format, is refused with 400 naming it. Every line validates against "
            + "GET /api/v1/export-schemas/{format}.")
    @Parameters({
            @Parameter(name = "format", in = ParameterIn.QUERY, required = true, schema = @Schema(enumeration = {
                    "rankings", "pairs", "trl", "kto", "sft"})),
            @Parameter(name = "file", in = ParameterIn.QUERY, description = "hf (a Hugging Face dataset folder) only as a background job (POST .../exports)", schema = @Schema(enumeration = {
                    "jsonl",
                    "parquet"}, defaultValue = "jsonl")),
            @Parameter(name = "gzip", in = ParameterIn.QUERY, description = "true: gzip the JSON lines", schema = @Schema(type = SchemaType.BOOLEAN)),
            @Parameter(name = "realNames", in = ParameterIn.QUERY, description = "true: usernames (admins)", schema = @Schema(type = SchemaType.BOOLEAN)),
            @Parameter(name = "aggregate", in = ParameterIn.QUERY, schema = @Schema(enumeration = {"none",
                    "consensus"}, defaultValue = "none")),
            @Parameter(name = "submittedAfter", in = ParameterIn.QUERY, description = "exclusive lower bound, ISO-8601", schema = @Schema(type = SchemaType.STRING, format = "date-time")),
            @Parameter(name = "submittedBefore", in = ParameterIn.QUERY, description = "inclusive upper bound, ISO-8601", schema = @Schema(type = SchemaType.STRING, format = "date-time")),
            @Parameter(name = "annotators", in = ParameterIn.QUERY, description = "comma-separated names to keep"),
            @Parameter(name = "excludeAnnotators", in = ParameterIn.QUERY, description = "comma-separated names to leave out"),
            @Parameter(name = "withFlags", in = ParameterIn.QUERY, description = "rankings with any of these flags"),
            @Parameter(name = "withoutFlags", in = ParameterIn.QUERY, description = "rankings with none of these flags"),
            @Parameter(name = "skips", in = ParameterIn.QUERY, description = "rankings: list skipped tasks (default true)", schema = @Schema(type = SchemaType.BOOLEAN)),
            @Parameter(name = "minAgreement", in = ParameterIn.QUERY, description = "items whose agreement is at least this", schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1")),
            @Parameter(name = "includeRejected", in = ParameterIn.QUERY, description = "true: include rankings a reviewer rejected", schema = @Schema(type = SchemaType.BOOLEAN)),
            @Parameter(name = "margin", in = ParameterIn.QUERY, description = "pairs, trl", schema = @Schema(enumeration = {
                    "tiers", "ratings"})),
            @Parameter(name = "trlFormat", in = ParameterIn.QUERY, description = "trl, kto", schema = @Schema(enumeration = {
                    "conversational", "standard"})),
            @Parameter(name = "includeScores", in = ParameterIn.QUERY, description = "rankings, pairs: reward model scores", schema = @Schema(type = SchemaType.BOOLEAN)),
            @Parameter(name = "scoreVersion", in = ParameterIn.QUERY, description = "the reward model version of the scores", schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
            @Parameter(name = "split", in = ParameterIn.QUERY, schema = @Schema(enumeration = {"none",
                    "prompt"}, defaultValue = "none")),
            @Parameter(name = "testFraction", in = ParameterIn.QUERY, description = "split=prompt: share of prompts in test (0.1)", schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1")),
            @Parameter(name = "validationFraction", in = ParameterIn.QUERY, description = "split=prompt: share in validation (0)", schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1")),
            @Parameter(name = "seed", in = ParameterIn.QUERY, description = "split=prompt: a whole number (0)", schema = @Schema(type = SchemaType.INTEGER)),
            @Parameter(name = "ktoLabel", in = ParameterIn.QUERY, description = "kto", schema = @Schema(enumeration = {
                    "ratings", "tiers"})),
            @Parameter(name = "ktoThreshold", in = ParameterIn.QUERY, description = "kto, ktoLabel=ratings: lowest desirable rating (5)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "7"))})
    @APIResponse(responseCode = "200", description = "The dataset", content = {
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "application/gzip", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/vnd.apache.parquet", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    public Response export(@PathParam("id") long campaignId) {
        Map<String, String> given = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> given.put(name, values.get(0)));
        ExportOptions options = ExportOptions.parse(given, currentUser.isAdmin());
        if (options.file().equals("hf")) {
            throw ProblemException.badRequest("file=hf is a dataset folder made by a background job: POST "
                    + "/api/v1/campaigns/" + campaignId + "/exports with {\"format\": \"" + options.format().fileName()
                    + "\", \"file\": \"hf\"}");
        }
        Campaign campaign = exports.check(campaignId, options);
        // Written only once every option is checked: a refused export is no download.
        audit.record("export.download", "campaign:" + campaignId, Map.of("format", options.format().fileName(),
                "file", options.file(), "realNames", options.realNames(), "aggregate",
                options.consensus() ? "consensus" : "none"));
        String stem = "campaign-" + campaign.id + "-" + options.format().fileName();
        if (options.file().equals("parquet")) {
            int k = campaign.responsesPerItem == null ? 0 : campaign.responsesPerItem;
            StreamingOutput parquetBody = output -> parquet.write(campaignId, options, k, output);
            return Response.ok(parquetBody, "application/vnd.apache.parquet")
                    .header("Content-Disposition", "attachment; filename=\"" + stem + ".parquet\"")
                    .build();
        }
        boolean compress = options.gzip();
        String fileName = stem + (options.consensus() ? "-consensus" : "") + ".jsonl" + (compress ? ".gz" : "");
        StreamingOutput body = output -> {
            OutputStream sink = compress
                    ? new GZIPOutputStream(output, 64 * 1024)
                    : new BufferedOutputStream(output, 64 * 1024);
            if (options.consensus()) {
                consensus.write(campaignId, options, sink);
            } else {
                exports.write(campaignId, options, sink);
            }
            sink.close();
        };
        return Response.ok(body, compress ? "application/gzip" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .build();
    }
}
