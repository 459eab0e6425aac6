package dev.ranklab.endpoints;

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

import dev.ranklab.users.Role;
import dev.ranklab.web.Flash;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** Model endpoints for admins: list, add, test, remove. The API key field is write-only. */
@Path("/admin/model-endpoints")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class EndpointPages {

    /** What the add form was sent with, to show again next to its errors (never the key). */
    public record FormValues(String name, String baseUrl, String model, String maxConcurrency,
            String requestsPerMinute, String timeoutSeconds) {

        static final FormValues EMPTY = new FormValues("", "", "", "4", "", "60");
    }

    @CheckedTemplate(basePath = "endpoints")
    static class Templates {

        static native TemplateInstance list(List<EndpointView> endpoints, FormValues form,
                Map<String, String> errors);
    }

    @Inject
    EndpointService endpoints;

    @GET
    public TemplateInstance list() {
        return Templates.list(endpoints.list(), FormValues.EMPTY, Map.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String name, @RestForm String baseUrl, @RestForm String model,
            @RestForm String apiKey, @RestForm String maxConcurrency, @RestForm String requestsPerMinute,
            @RestForm String timeoutSeconds) {
        FormValues form = new FormValues(orEmpty(name), orEmpty(baseUrl), orEmpty(model), orEmpty(maxConcurrency),
                orEmpty(requestsPerMinute), orEmpty(timeoutSeconds));
        try {
            EndpointView created = endpoints.create(new EndpointInput(name, baseUrl, model,
                    apiKey == null || apiKey.isBlank() ? null : apiKey,
                    number("maxConcurrency", maxConcurrency), number("requestsPerMinute", requestsPerMinute),
                    number("timeoutSeconds", timeoutSeconds), null));
            return Flash.redirect("/admin/model-endpoints", "Endpoint " + created.name() + " added.");
        } catch (InvalidInputException e) {
            return Response.status(400).entity(Templates.list(endpoints.list(), form, e.fieldErrors())).build();
        }
    }

    @POST
    @Path("/{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response test(@PathParam("id") long id) {
        EndpointView endpoint = endpoints.get(id);
        EndpointService.TestResult result = endpoints.test(id);
        String message = result.ok()
                ? endpoint.name() + " answered in " + result.latencyMs() + " ms: " + result.reply()
                : endpoint.name() + " failed: " + result.error();
        return Flash.redirect("/admin/model-endpoints", message);
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("id") long id) {
        try {
            endpoints.delete(id);
            return Flash.redirect("/admin/model-endpoints", "Endpoint removed.");
        } catch (ProblemException e) {
            return Flash.redirect("/admin/model-endpoints", e.detail());
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** A number field: blank is absent, anything else must be a whole number. */
    private static Integer number(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(field, "must be a whole number");
        }
    }
}
