package dev.ranklab.endpoints;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.users.Role;
import dev.ranklab.web.Flash;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** Model endpoints for admins: list, add, edit, test, remove. The API key field is write-only. */
@Path("/admin/model-endpoints")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class EndpointPages {

    /** What the add or edit form shows: the endpoint's settings, or what was sent next to its errors (never the key). */
    public record FormValues(String name, String baseUrl, String model, String maxConcurrency,
            String requestsPerMinute, String timeoutSeconds, String temperature, String topP, String maxTokens,
            boolean editing, boolean hasApiKey) {

        static final FormValues EMPTY = new FormValues("", "", "", "4", "", "60", "", "", "", false, false);

        static FormValues of(EndpointView e) {
            return new FormValues(e.name(), e.baseUrl(), e.model(), String.valueOf(e.maxConcurrency()),
                    text(e.requestsPerMinute()), String.valueOf(e.timeoutSeconds()), text(e.defaults().temperature()),
                    text(e.defaults().topP()), text(e.defaults().maxTokens()), true, e.hasApiKey());
        }

        private static String text(Number value) {
            return value == null ? "" : value.toString();
        }
    }

    /** An endpoint row with the running jobs that use it, for the Remove button's warning. */
    public record Row(EndpointView endpoint, List<String> usedBy) {
    }

    @CheckedTemplate(basePath = "endpoints")
    static class Templates {

        static native TemplateInstance list(List<Row> endpoints, FormValues form, Map<String, String> errors);

        static native TemplateInstance edit(EndpointView endpoint, FormValues form, Map<String, String> errors);
    }

    @Inject
    EndpointService endpoints;

    @GET
    public TemplateInstance list() {
        return Templates.list(rows(), FormValues.EMPTY, Map.of());
    }

    private List<Row> rows() {
        return endpoints.list().stream().map(e -> new Row(e, endpoints.runningJobsUsing(e.id()))).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String name, @RestForm String baseUrl, @RestForm String model,
            @RestForm String apiKey, @RestForm String maxConcurrency, @RestForm String requestsPerMinute,
            @RestForm String timeoutSeconds, @RestForm String temperature, @RestForm String topP,
            @RestForm String maxTokens) {
        FormValues form = new FormValues(orEmpty(name), orEmpty(baseUrl), orEmpty(model), orEmpty(maxConcurrency),
                orEmpty(requestsPerMinute), orEmpty(timeoutSeconds), orEmpty(temperature), orEmpty(topP),
                orEmpty(maxTokens), false, false);
        try {
            EndpointInput input = input(form, apiKey == null || apiKey.isBlank() ? null : apiKey, false);
            EndpointView created = endpoints.create(input);
            return Flash.redirect("/admin/model-endpoints", "Endpoint " + created.name() + " added.");
        } catch (InvalidInputException e) {
            return Response.status(400).entity(Templates.list(rows(), form, e.fieldErrors())).build();
        }
    }

    @GET
    @Path("/{id}/edit")
    public TemplateInstance edit(@PathParam("id") long id) {
        EndpointView endpoint = endpoints.get(id);
        return Templates.edit(endpoint, FormValues.of(endpoint), Map.of());
    }

    @POST
    @Path("/{id}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") long id, @RestForm String name, @RestForm String baseUrl,
            @RestForm String model, @RestForm String apiKey,
            @DefaultValue("false") @RestForm boolean removeApiKey,
            @RestForm String maxConcurrency, @RestForm String requestsPerMinute, @RestForm String timeoutSeconds,
            @RestForm String temperature, @RestForm String topP, @RestForm String maxTokens) {
        EndpointView endpoint = endpoints.get(id);
        FormValues form = new FormValues(orEmpty(name), orEmpty(baseUrl), orEmpty(model), orEmpty(maxConcurrency),
                orEmpty(requestsPerMinute), orEmpty(timeoutSeconds), orEmpty(temperature), orEmpty(topP),
                orEmpty(maxTokens), true, endpoint.hasApiKey());
        try {
            // A blank key keeps the stored one; the box removes it.
            String key = removeApiKey ? "" : apiKey == null || apiKey.isBlank() ? null : apiKey;
            EndpointInput input = input(form, key, true);
            // On the form a blank default means none: every blank one is removed.
            Set<String> cleared = new HashSet<>();
            if (form.temperature().isBlank()) {
                cleared.add("temperature");
            }
            if (form.topP().isBlank()) {
                cleared.add("topP");
            }
            if (form.maxTokens().isBlank()) {
                cleared.add("maxTokens");
            }
            EndpointView saved = endpoints.update(id, input, cleared);
            return Flash.redirect("/admin/model-endpoints", "Endpoint " + saved.name() + " saved.");
        } catch (InvalidInputException e) {
            return Response.status(e.status()).entity(Templates.edit(endpoint, form, e.fieldErrors())).build();
        }
    }

    /** The form's fields as an input, every unreadable number named at once. */
    private static EndpointInput input(FormValues form, String apiKey, boolean editing) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        Integer maxConcurrency = whole(errors, "maxConcurrency", form.maxConcurrency());
        Integer requestsPerMinute = whole(errors, "requestsPerMinute", form.requestsPerMinute());
        Integer timeoutSeconds = whole(errors, "timeoutSeconds", form.timeoutSeconds());
        Double temperature = decimal(errors, "defaults.temperature", form.temperature());
        Double topP = decimal(errors, "defaults.topP", form.topP());
        Integer maxTokens = whole(errors, "defaults.maxTokens", form.maxTokens());
        errors.throwIfAny();
        if (editing && requestsPerMinute == null) {
            requestsPerMinute = 0;
        }
        return new EndpointInput(form.name(), form.baseUrl(), form.model(), apiKey, maxConcurrency,
                requestsPerMinute, timeoutSeconds, new EndpointInput.Defaults(temperature, topP, maxTokens));
    }

    @POST
    @Path("/{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response test(@PathParam("id") long id) {
        EndpointView endpoint = endpoints.get(id);
        EndpointService.TestResult result = endpoints.test(id);
        return result.ok()
                ? Flash.redirect("/admin/model-endpoints", endpoint.name() + " answered in " + result.latencyMs()
                        + " ms: " + result.reply())
                : Flash.error("/admin/model-endpoints", "Test of " + endpoint.name() + " failed: " + result.error());
    }

    /** The page's Remove asks first (naming the running jobs that use the endpoint), so it removes with force. */
    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("id") long id) {
        try {
            endpoints.delete(id, true);
            return Flash.redirect("/admin/model-endpoints", "Endpoint removed.");
        } catch (ProblemException e) {
            return Flash.error("/admin/model-endpoints", e.detail());
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** A number field: blank is absent, anything else must be a whole number. */
    private static Integer whole(InvalidInputException.Collector errors, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            errors.add(field, "must be a whole number");
            return null;
        }
    }

    private static Double decimal(InvalidInputException.Collector errors, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(value.strip());
        } catch (NumberFormatException e) {
            errors.add(field, "must be a number such as 0.7");
            return null;
        }
    }
}
