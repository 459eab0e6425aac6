package dev.ranklab.leaderboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.endpoints.EndpointService;
import dev.ranklab.endpoints.EndpointView;
import dev.ranklab.export.ExportJob;
import dev.ranklab.generation.PromptFile;
import dev.ranklab.generation.RejectionSampling;
import dev.ranklab.generation.RejectionSamplingApi;
import dev.ranklab.rewardmodel.RewardModelService;
import dev.ranklab.rewardmodel.RewardModelVersion;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.Flash;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * A campaign's Models page: the leaderboard, the pairwise win-rate matrix, and a form that starts rejection sampling
 * from a model endpoint (the job then shows among the data page's background exports).
 */
@Path("/campaigns/{id}/models")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.TEXT_HTML)
public class ModelsPages {

    /** One cell of the matrix: its text and a shade class from 0 (always lost) to 10 (always won). */
    public record Cell(String text, String shade) {
    }

    /** A row of the matrix. */
    public record MatrixRow(String model, List<Cell> cells) {
    }

    /** A reward-model version the form offers. */
    public record VersionChoice(int version, String label, boolean serving) {
    }

    /** The rejection-sampling form as typed, with its choices and its errors by field. */
    public record SamplingForm(List<EndpointView> endpoints, List<VersionChoice> versions, String endpointId,
            String n, String version, String temperature, String maxTokens, String format, boolean gzip,
            Map<String, String> errors) {

        public boolean ready() {
            return !endpoints.isEmpty() && !versions.isEmpty();
        }

        public boolean endpointChosen(long id) {
            return endpointId.equals(Long.toString(id));
        }

        /** The version typed, or else the serving one. */
        public boolean versionChosen(VersionChoice choice) {
            return version.isEmpty() ? choice.serving() : version.equals(Integer.toString(choice.version()));
        }
    }

    @CheckedTemplate(basePath = "leaderboard")
    static class Templates {

        static native TemplateInstance models(Campaign campaign, ModelBoard board, List<LeaderboardLine> lines,
                List<MatrixRow> matrix, SamplingForm sampling);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    LeaderboardService leaderboard;

    @Inject
    EndpointService endpoints;

    @Inject
    RewardModelService rewardModels;

    @Inject
    RejectionSampling rejectionSampling;

    @Inject
    CurrentUser currentUser;

    @GET
    public TemplateInstance show(@PathParam("id") long id) {
        return page(id, form("", "4", "", "", "", "sft", false, Map.of()));
    }

    /** The form's address, opened again (a reload after a refused start): the page with the form. */
    @GET
    @Path("/rejection-sampling")
    public Response samplingForm(@PathParam("id") long id) {
        campaigns.get(id);
        return Response.seeOther(java.net.URI.create("/campaigns/" + id + "/models#rejection-sampling")).build();
    }

    /** Starts rejection sampling over the campaign's items, or over the uploaded prompts when a file is chosen. */
    @POST
    @Path("/rejection-sampling")
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response startSampling(@PathParam("id") long id, @RestForm String endpointId, @RestForm String n,
            @RestForm String version, @RestForm String temperature, @RestForm String maxTokens,
            @RestForm String format, @DefaultValue("false") @RestForm boolean gzip,
            @RestForm("prompts") FileUpload prompts) {
        campaigns.get(id);
        try {
            RejectionSampling.Request request = RejectionSamplingApi.request(endpointId, n, version, temperature,
                    maxTokens, format, Boolean.toString(gzip));
            boolean uploaded = prompts != null && prompts.uploadedFile() != null && prompts.size() > 0;
            List<PromptFile.Prompt> file = null;
            if (uploaded) {
                try (InputStream in = Files.newInputStream(prompts.uploadedFile())) {
                    file = PromptFile.read(in);
                } catch (InvalidInputException e) {
                    throw InvalidInputException.of("prompts", e.detail());
                }
            }
            ExportJob job = rejectionSampling.start(id, currentUser.requireId(), request, file,
                    uploaded ? prompts.fileName() : null);
            return Flash.redirect("/campaigns/" + id + "/data#jobs", "Rejection sampling job " + job.id
                    + " started; it runs in the background and its file appears here when it is done.");
        } catch (ProblemException e) {
            // The campaign exists (checked above): a 404 here is an endpoint or version the form named.
            Map<String, String> errors = e instanceof InvalidInputException invalid
                    ? invalid.fieldErrors()
                    : Map.of("form", e.detail());
            return Response.status(e.status() == 404 ? 400 : e.status()).entity(page(id, form(endpointId, n,
                    version, temperature, maxTokens, format, gzip, errors))).build();
        } catch (IOException e) {
            return Response.status(400).entity(page(id, form(endpointId, n, version, temperature, maxTokens,
                    format, gzip, Map.of("prompts", "the uploaded file could not be read")))).build();
        }
    }

    private SamplingForm form(String endpointId, String n, String version, String temperature, String maxTokens,
            String format, boolean gzip, Map<String, String> errors) {
        List<VersionChoice> versions = rewardModels.list().stream()
                .filter(v -> v.status == RewardModelVersion.Status.READY)
                .map(v -> new VersionChoice(v.version, "version " + v.version + (v.promoted ? " (serving)" : ""),
                        v.promoted))
                .toList();
        return new SamplingForm(endpoints.list(), versions, blank(endpointId), blank(n), blank(version),
                blank(temperature), blank(maxTokens), "trl".equals(format) ? "trl" : "sft", gzip, errors);
    }

    private static String blank(String value) {
        return value == null ? "" : value.strip();
    }

    private TemplateInstance page(long id, SamplingForm sampling) {
        Campaign campaign = campaigns.get(id);
        ModelBoard board = leaderboard.board(id);
        List<LeaderboardLine> lines = LeaderboardLine.of(board);
        List<MatrixRow> matrix = new ArrayList<>();
        for (int i = 0; i < board.matrixModels().size(); i++) {
            List<Cell> cells = new ArrayList<>();
            for (Double rate : board.winRates().get(i)) {
                cells.add(rate == null
                        ? new Cell("–", "none")
                        : new Cell(LeaderboardLine.percent(rate), Long.toString(Math.round(rate * 10))));
            }
            matrix.add(new MatrixRow(board.matrixModels().get(i), cells));
        }
        return Templates.models(campaign, board, lines, matrix, sampling);
    }

}
