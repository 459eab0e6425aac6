package dev.ranklab.endpoints;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.users.Role;

/** Model endpoints: OpenAI-compatible servers Ranklab samples responses from. Answers never carry the API key. */
@Path("/api/v1/model-endpoints")
@Tag(name = "Model endpoints")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class EndpointApi {

    @Inject
    EndpointService endpoints;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add an endpoint {name, baseUrl, model, apiKey?, maxConcurrency? (4), requestsPerMinute?, "
            + "timeoutSeconds? (60), defaults {temperature?, topP?, maxTokens?}}; the key is stored encrypted")
    @APIResponse(responseCode = "201", description = "Added", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EndpointView.class)))
    public Response create(EndpointInput body) {
        return Response.status(201).entity(endpoints.create(body)).build();
    }

    @GET
    @Operation(summary = "Endpoints (hasApiKey says whether a key is set; the key itself is never shown)")
    public List<EndpointView> list() {
        return endpoints.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One endpoint")
    public EndpointView get(@PathParam("id") long id) {
        return endpoints.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the given fields; an absent field stays as it was", description = "\"apiKey\": \"\" "
            + "removes the key, \"requestsPerMinute\": 0 the rate limit. A default sent as null is removed "
            + "(\"defaults\": {\"topP\": null}), \"defaults\": null removes all three; an absent default stays. "
            + "A change that changes nothing leaves updatedAt and the audit log alone.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EndpointInput.class)))
    public EndpointView update(@PathParam("id") long id, JsonNode body) throws JsonProcessingException {
        if (body == null || !body.isObject()) {
            return endpoints.update(id, null, Set.of());
        }
        Set<String> cleared = new HashSet<>();
        JsonNode defaults = body.get("defaults");
        if (defaults != null && defaults.isNull()) {
            cleared.addAll(List.of("temperature", "topP", "maxTokens"));
        } else if (defaults != null && defaults.isObject()) {
            defaults.fields().forEachRemaining(field -> {
                if (field.getValue().isNull()) {
                    cleared.add(field.getKey());
                }
            });
        }
        return endpoints.update(id, json.treeToValue(body, EndpointInput.class), cleared);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove an endpoint", description = "While a running generation job still has requests "
            + "for it, the answer is 409 naming the job(s): removing it would fail them. force=true removes it "
            + "anyway (the job's remaining requests to it fail, their items say why).")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "409", description = "In use by a running job, and force was not given")
    public Response delete(@PathParam("id") long id, @QueryParam("force") @DefaultValue("false") boolean force) {
        endpoints.delete(id, force);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Send one short chat/completions request and report the latency, or the error in words")
    public EndpointService.TestResult test(@PathParam("id") long id) {
        return endpoints.test(id);
    }
}
