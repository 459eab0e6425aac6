package dev.ranklab.export;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
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

    @GET
    @Operation(summary = "Stream a dataset as JSON lines or a Parquet file: rankings, pairs, trl or sft", description = "Annotators appear as pseudonyms, stable within the campaign; realNames=true shows "
            + "usernames, for admins only. gzip=true compresses the stream.")
    public Response export(@PathParam("id") long campaignId, @QueryParam("format") String formatName,
            @QueryParam("file") @DefaultValue("jsonl") String file,
            @QueryParam("gzip") @DefaultValue("false") String gzip,
            @QueryParam("realNames") @DefaultValue("false") String realNames,
            @QueryParam("submittedAfter") String submittedAfter, @QueryParam("submittedBefore") String submittedBefore,
            @QueryParam("annotators") String annotators, @QueryParam("excludeAnnotators") String excludeAnnotators,
            @QueryParam("withFlags") String withFlags, @QueryParam("withoutFlags") String withoutFlags,
            @QueryParam("skips") String skips, @QueryParam("aggregate") @DefaultValue("none") String aggregate,
            @QueryParam("margin") String margin, @QueryParam("trlFormat") String trlFormat,
            @QueryParam("includeScores") @DefaultValue("false") String includeScores,
            @QueryParam("scoreVersion") String scoreVersion, @QueryParam("minAgreement") String minAgreement,
            @QueryParam("includeRejected") String includeRejected) {
        ExportFormat format = ExportFormat.parse(formatName);
        ExportFilter filter = ExportFilter.parse(submittedAfter, submittedBefore, annotators, excludeAnnotators,
                withFlags, withoutFlags, skips, minAgreement, includeRejected);
        String kind = file.toLowerCase(Locale.ROOT);
        if (!"jsonl".equals(kind) && !"parquet".equals(kind)) {
            throw ProblemException.badRequest("file must be jsonl or parquet");
        }
        boolean parquetFile = "parquet".equals(kind);
        boolean compress = flag("gzip", gzip);
        boolean names = flag("realNames", realNames);
        if (names && !currentUser.isAdmin()) {
            throw ProblemException.forbidden("realNames=true is for admins; researchers get pseudonyms");
        }
        ExportShape shape = ExportShape.parse(margin, trlFormat)
                .withScores(ScoreVersions.resolve(flag("includeScores", includeScores), scoreVersion, format));
        Campaign campaign = exports.check(campaignId, format, shape);
        boolean consensusLines = switch (aggregate.toLowerCase(Locale.ROOT)) {
            case "none" -> false;
            case "consensus" -> true;
            default -> throw ProblemException.badRequest("aggregate must be none or consensus");
        };
        if (consensusLines && (format != ExportFormat.RANKINGS || parquetFile)) {
            throw ProblemException.badRequest("aggregate=consensus gives JSON lines of rankings: use format=rankings "
                    + "and file=jsonl");
        }
        audit.record("export.download", "campaign:" + campaignId, Map.of("format", format.fileName(),
                "file", kind, "realNames", names, "aggregate", consensusLines ? "consensus" : "none"));
        if (parquetFile) {
            if (compress) {
                throw ProblemException.badRequest("gzip applies to jsonl; Parquet files are compressed inside");
            }
            int k = campaign.responsesPerItem == null ? 0 : campaign.responsesPerItem;
            StreamingOutput parquetBody = output -> parquet.write(campaignId, format, names, filter, shape, k, output);
            return Response.ok(parquetBody, "application/vnd.apache.parquet")
                    .header("Content-Disposition", "attachment; filename=\"campaign-" + campaign.id + "-"
                            + format.fileName() + ".parquet\"")
                    .build();
        }
        String fileName = "campaign-" + campaign.id + "-" + format.fileName() + (consensusLines ? "-consensus" : "")
                + ".jsonl" + (compress ? ".gz" : "");
        StreamingOutput body = output -> {
            OutputStream sink = compress
                    ? new GZIPOutputStream(output, 64 * 1024)
                    : new BufferedOutputStream(output, 64 * 1024);
            if (consensusLines) {
                consensus.write(campaignId, filter, sink);
            } else {
                exports.write(campaignId, format, names, filter, shape, sink);
            }
            sink.close();
        };
        return Response.ok(body, compress ? "application/gzip" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .build();
    }

    private static boolean flag(String name, String value) {
        return ExportFilter.flag(name, value, false);
    }
}
