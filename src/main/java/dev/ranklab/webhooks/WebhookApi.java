package dev.ranklab.webhooks;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.ApiPatterns;
import dev.ranklab.web.ProblemException;

/** Webhooks: subscribe a URL to events, send it a test event, see and retry its deliveries, remove it. */
@Path("/api/v1/webhooks")
@Tag(name = "Webhooks")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookApi {

    /** Body of a subscription; without a secret one is generated and returned once. */
    public record CreateWebhook(
            @Schema(required = true, pattern = ApiPatterns.HTTP_URL, description = "An absolute http:// or https:// URL") String url,
            @Schema(required = true, minItems = 1, type = SchemaType.ARRAY, implementation = WebhookService.Event.class) List<String> events,
            @Schema(pattern = "^(\\s*|[\\s\\S]{" + WebhookService.MIN_SECRET + "," + WebhookService.MAX_SECRET
                    + "})$", description = "16 to 200 characters; absent or blank: one is generated") String secret) {
    }

    @Inject
    WebhookService webhooks;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe a URL to item.completed, campaign.completed and/or reward_model.promoted; the "
            + "answer carries the signing secret, shown this once")
    @APIResponse(responseCode = "201", description = "Created; the secret is shown this once")
    public Response create(CreateWebhook body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {url, events, secret?} is required");
        }
        return Response.status(201).entity(webhooks.create(body.url(), body.events(), body.secret())).build();
    }

    @GET
    @Operation(summary = "Webhooks (without their secrets)")
    public List<WebhookService.WebhookView> list() {
        return webhooks.list();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "A webhook's latest deliveries with their status, attempts and last error")
    public List<WebhookService.DeliveryView> deliveries(@PathParam("id") long id) {
        return webhooks.deliveries(id);
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Queue a webhook.test delivery to this webhook alone, whatever it subscribes to: signed, "
            + "sent within seconds and retried like any other; follow it in the deliveries")
    @APIResponse(responseCode = "202", description = "Queued; the delivery as it stands")
    public Response sendTest(@PathParam("id") long id) {
        return Response.status(202).entity(webhooks.sendTest(id)).build();
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/retry")
    @Operation(summary = "Send a failed delivery again now: one FAILED for good gets one more attempt, one waiting "
            + "for its next attempt is sent at once; 409 for a delivery that has not failed")
    @APIResponse(responseCode = "202", description = "Queued for now; the delivery as it stands")
    public Response retry(@PathParam("id") long id, @PathParam("deliveryId") long deliveryId) {
        return Response.status(202).entity(webhooks.retry(id, deliveryId)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a webhook and its pending deliveries")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@PathParam("id") long id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }
}
