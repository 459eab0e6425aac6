package dev.ranklab.endpoints;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;

/** Model endpoints: OpenAI-compatible servers Ranklab samples responses from. Answers never carry the API key. */
@Path("/api/v1/model-endpoints")
@Tag(name = "Model endpoints")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class EndpointApi {

    @Inject
    EndpointService endpoints;

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
    @Operation(summary = "Change the given fields; \"apiKey\": \"\" removes the key, \"requestsPerMinute\": 0 the "
            + "rate limit")
    public EndpointView update(@PathParam("id") long id, EndpointInput body) {
        return endpoints.update(id, body);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove an endpoint")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@PathParam("id") long id) {
        endpoints.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Send one short chat/completions request and report the latency, or the error in words")
    public EndpointService.TestResult test(@PathParam("id") long id) {
        return endpoints.test(id);
    }
}
