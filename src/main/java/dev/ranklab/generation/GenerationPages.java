package dev.ranklab.generation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.endpoints.EndpointService;
import dev.ranklab.endpoints.EndpointView;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.Flash;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** A campaign's Generate page: the form that starts a generation job, and the progress of the latest jobs. */
@Path("/campaigns/{id}/generations")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class GenerationPages {

    @CheckedTemplate(basePath = "generation")
    static class Templates {

        static native TemplateInstance campaign(Campaign campaign, long waiting, long failed,
                List<EndpointView> endpoints, List<GenerationJobView> jobs, boolean running,
                Map<String, String> errors);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    GenerationService generations;

    @Inject
    EndpointService endpoints;

    @Inject
    CurrentUser currentUser;

    @GET
    public TemplateInstance show(@PathParam("id") long id) {
        return page(id, Map.of());
    }

    private TemplateInstance page(long id, Map<String, String> errors) {
        Campaign campaign = campaigns.get(id);
        long[] waiting = generations.waiting(id);
        List<GenerationJobView> jobs = generations.ofCampaign(id, 5);
        boolean running = jobs.stream().anyMatch(j -> j.status().equals("RUNNING"));
        return Templates.campaign(campaign, waiting[0], waiting[1], endpoints.list(), jobs, running, errors);
    }

    private String sourceError(String field, String message, List<GenerationRequest.Source> sources) {
        if (field.equals("sources") && sources.isEmpty()) {
            return "give at least one endpoint a number of samples; together they make each item's responses";
        }
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("sources\\[(\\d+)]\\.(\\w+)").matcher(field);
        if (!at.matches() || Integer.parseInt(at.group(1)) >= sources.size()) {
            return message;
        }
        long endpointId = sources.get(Integer.parseInt(at.group(1))).endpointId();
        String name = endpoints.list().stream().filter(e -> e.id() == endpointId).map(e -> e.name()).findFirst()
                .orElse("an endpoint that no longer exists");
        return name + (at.group(2).equals("samples") ? " samples: " : ": ") + message;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(@PathParam("id") long id, @RestForm List<Long> endpoint, @RestForm List<String> samples,
            @RestForm String temperature, @RestForm String maxTokens) {
        List<GenerationRequest.Source> sources = new ArrayList<>();
        try {
            for (int i = 0; endpoint != null && i < endpoint.size() && samples != null && i < samples.size(); i++) {
                String count = samples.get(i) == null ? "" : samples.get(i).strip();
                if (!count.isEmpty() && !count.equals("0")) {
                    sources.add(new GenerationRequest.Source(endpoint.get(i), wholeNumber("sources", count)));
                }
            }
            Double t = null;
            if (temperature != null && !temperature.isBlank()) {
                try {
                    t = Double.valueOf(temperature.strip());
                } catch (NumberFormatException e) {
                    throw InvalidInputException.of("temperature", "must be a number from 0 to 2");
                }
            }
            Integer max = maxTokens == null || maxTokens.isBlank() ? null : wholeNumber("maxTokens", maxTokens);
            GenerationJobView job = generations.start(id, new GenerationRequest(sources, t, max, null),
                    currentUser.getId());
            return Flash.redirect("/campaigns/" + id + "/generations", "Generation job " + job.jobId()
                    + " started for " + job.items() + " items.");
        } catch (InvalidInputException e) {
            // The form has one field for all sources: the API's "sources[1].samples" is said there by the endpoint's
            // name, as its row is labelled, and "at least one {endpointId, samples}" in the form's words.
            Map<String, String> errors = new LinkedHashMap<>();
            e.fieldErrors().forEach((field, message) -> errors.merge(field.startsWith("sources") ? "sources" : field,
                    sourceError(field, message, sources), (a, b) -> a + "; " + b));
            return Response.status(400).entity(page(id, errors)).build();
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Flash.error("/campaigns/" + id + "/generations", e.detail());
        }
    }

    @POST
    @Path("/{jobId}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancel(@PathParam("id") long id, @PathParam("jobId") long jobId) {
        try {
            generations.cancel(jobId);
            return Flash.redirect("/campaigns/" + id + "/generations", "Generation job " + jobId + " cancelled.");
        } catch (ProblemException e) {
            return Flash.error("/campaigns/" + id + "/generations", e.detail());
        }
    }

    private static int wholeNumber(String field, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(field, "must be a whole number");
        }
    }
}
