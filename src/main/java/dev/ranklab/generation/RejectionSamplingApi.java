package dev.ranklab.generation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.common.annotation.Blocking;

import dev.ranklab.export.ExportJob;
import dev.ranklab.export.ExportJobApi;
import dev.ranklab.items.ItemApi;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.InvalidInputException;

/**
 * Rejection sampling over a campaign's prompts or an uploaded file of prompts. It runs as a background export: watch,
 * cancel and download it under /api/v1/exports/{jobId}.
 */
@Path("/api/v1/campaigns/{id}/rejection-sampling")
@Tag(name = "Reward model")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class RejectionSamplingApi {

    @Inject
    RejectionSampling sampling;

    @Inject
    CurrentUser currentUser;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start rejection sampling over the campaign's items: {endpointId, n (1-32), version? (a READY "
            + "reward-model version; default the serving one), temperature?, maxTokens?, format? (sft: the best "
            + "sample; trl: best against worst), gzip?}; answers 202 with the export job, whose file holds one line "
            + "per prompt")
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExportJobApi.JobView.class)))
    public Response start(@PathParam("id") long id, RejectionSampling.Request body) {
        return accepted(sampling.start(id, currentUser.requireId(), body, null, null));
    }

    @POST
    @Path("/upload")
    @Blocking
    @Consumes({ItemApi.NDJSON, "application/jsonl", MediaType.TEXT_PLAIN})
    @Operation(summary = "Start rejection sampling over uploaded prompts: an NDJSON body, one {prompt, externalId?} a "
            + "line (every line is checked first; errors name the line), with the settings as query parameters")
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExportJobApi.JobView.class)))
    public Response upload(@PathParam("id") long id, @QueryParam("endpointId") String endpointId,
            @QueryParam("n") String n, @QueryParam("version") String version,
            @QueryParam("temperature") String temperature, @QueryParam("maxTokens") String maxTokens,
            @QueryParam("format") String format, @QueryParam("gzip") String gzip, InputStream body)
            throws IOException {
        RejectionSampling.Request request = request(endpointId, n, version, temperature, maxTokens, format, gzip);
        return accepted(sampling.start(id, currentUser.requireId(), request, PromptFile.read(body), null));
    }

    /** The settings as typed in a query or a form, each error naming its field. */
    public static RejectionSampling.Request request(String endpointId, String n, String version, String temperature,
            String maxTokens, String format, String gzip) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        Long endpoint = whole(errors, "endpointId", endpointId);
        Long samples = whole(errors, "n", n);
        Long chosen = whole(errors, "version", version);
        Long tokens = whole(errors, "maxTokens", maxTokens);
        Double heat = null;
        if (temperature != null && !temperature.isBlank()) {
            try {
                heat = Double.valueOf(temperature.strip());
            } catch (NumberFormatException e) {
                errors.add("temperature", "must be a number from 0 to 2");
            }
        }
        Boolean zipped = null;
        if (gzip != null && !gzip.isBlank()) {
            switch (gzip.strip().toLowerCase(Locale.ROOT)) {
                case "true", "on" -> zipped = true;
                case "false" -> zipped = false;
                default -> errors.add("gzip", "must be true or false");
            }
        }
        // Every field's error at once: the ranges of those that did read as numbers too.
        // (a field that did not read keeps its own error: the collector keeps the first per field)
        BestOfN.checkRanges(errors, samples == null ? null : samples.intValue(), heat,
                tokens == null ? null : tokens.intValue());
        errors.throwIfAny();
        return new RejectionSampling.Request(endpoint, samples == null ? null : samples.intValue(),
                chosen == null ? null : chosen.intValue(), heat, tokens == null ? null : tokens.intValue(), format,
                zipped);
    }

    private static Long whole(InvalidInputException.Collector errors, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed > Integer.MAX_VALUE || parsed < Integer.MIN_VALUE) {
                errors.add(field, "out of range");
                return null;
            }
            return parsed;
        } catch (NumberFormatException e) {
            errors.add(field, "must be a whole number");
            return null;
        }
    }

    private static Response accepted(ExportJob job) {
        return Response.accepted(ExportJobApi.JobView.of(job)).build();
    }
}
