package dev.ranklab.webhooks;

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

/** Webhooks for admins: subscribe, send a test event, see and retry the latest deliveries, remove. */
@Path("/admin/webhooks")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class WebhookPages {

    /** A webhook with its latest deliveries. */
    public record Row(WebhookService.WebhookView webhook, List<WebhookService.DeliveryView> deliveries) {
    }

    @CheckedTemplate(basePath = "webhooks")
    static class Templates {

        static native TemplateInstance list(List<Row> webhooks, List<String> events, String createdSecret,
                Map<String, String> errors, String url);
    }

    @Inject
    WebhookService webhooks;

    @GET
    public TemplateInstance list() {
        return page(null, Map.of(), "");
    }

    private TemplateInstance page(String secret, Map<String, String> errors, String url) {
        List<Row> rows = webhooks.list().stream()
                .map(w -> new Row(w, webhooks.deliveries(w.id()).stream().limit(5).toList())).toList();
        return Templates.list(rows, WebhookService.EVENTS.stream().sorted().toList(), secret, errors, url);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String url, @RestForm List<String> events) {
        try {
            WebhookService.WebhookView created = webhooks.create(url, events, null);
            // The secret is shown this once, on the page that answers the form, never again.
            return Response.ok(page(created.secret(), Map.of(), "")).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(page(null, e.fieldErrors(), url == null ? "" : url)).build();
        }
    }

    @POST
    @Path("/{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response sendTest(@PathParam("id") long id) {
        try {
            long delivery = webhooks.sendTest(id).id();
            return Flash.redirect("/admin/webhooks#webhook-" + id, "Test event queued as delivery " + delivery
                    + "; it is sent within a few seconds. Reload to see how it went.");
        } catch (ProblemException e) {
            return Flash.error("/admin/webhooks", e.detail());
        }
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/retry")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retry(@PathParam("id") long id, @PathParam("deliveryId") long deliveryId) {
        try {
            webhooks.retry(id, deliveryId);
            return Flash.redirect("/admin/webhooks#webhook-" + id, "Delivery " + deliveryId
                    + " is sent again now. Reload to see how it went.");
        } catch (ProblemException e) {
            return Flash.error("/admin/webhooks#webhook-" + id, e.detail());
        }
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("id") long id) {
        try {
            webhooks.delete(id);
            return Flash.redirect("/admin/webhooks", "Webhook removed.");
        } catch (ProblemException e) {
            return Flash.error("/admin/webhooks", e.detail());
        }
    }
}
