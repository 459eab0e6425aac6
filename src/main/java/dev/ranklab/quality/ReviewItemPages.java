package dev.ranklab.quality;

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

import io.quarkus.qute.TemplateInstance;

import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.items.GoldRanking;
import dev.ranklab.items.ItemService;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.Flash;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** The review of one item, for admins: every annotator's work, reject and restore, mark reviewed. */
@Path("/review/items/{itemId}")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class ReviewItemPages {

    @Inject
    ReviewService review;

    @Inject
    CampaignService campaigns;

    @Inject
    CurrentUser currentUser;

    @Inject
    ItemService items;

    @GET
    public TemplateInstance item(@PathParam("itemId") long itemId) {
        return page(itemId, null, null);
    }

    private TemplateInstance page(long itemId, String goldInput, String goldError) {
        ReviewService.ItemReview item = review.item(itemId);
        return ReviewPages.Templates.item(campaigns.get(item.campaignId()), item,
                AgreementView.percent(item.agreement()), items.generation(itemId), goldInput, goldError);
    }

    @POST
    @Path("/reviewed")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reviewed(@PathParam("itemId") long itemId) {
        ReviewService.ItemReview item = review.item(itemId);
        review.markReviewed(itemId);
        return Flash.redirect("/campaigns/" + item.campaignId() + "/review", "Item " + item.externalId()
                + " reviewed.");
    }

    @POST
    @Path("/rankings/{rankingId}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reject(@PathParam("itemId") long itemId, @PathParam("rankingId") long rankingId,
            @RestForm String reason) {
        try {
            review.reject(rankingId, reason, currentUser.requireId());
            return Flash.redirect("/review/items/" + itemId, "Rejected: it leaves exports and training.");
        } catch (InvalidInputException e) {
            return Flash.error("/review/items/" + itemId, e.inWords(Map.of("reason", "Reason")));
        } catch (ProblemException e) {
            return Flash.error("/review/items/" + itemId, e.detail());
        }
    }

    @POST
    @Path("/gold")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setGold(@PathParam("itemId") long itemId, @RestForm String ranking) {
        try {
            items.setGold(itemId, GoldRanking.parseWritten(ranking));
            return Flash.redirect("/review/items/" + itemId, "Gold item: served on the campaign's gold schedule.");
        } catch (InvalidInputException e) {
            // Beside the field, with what was typed: the service's message for a blank one shows the API's JSON.
            String error = ranking == null || ranking.isBlank()
                    ? "Enter every response of the item, best first, e.g. r2 > r1 = r3."
                    : "Not saved: " + e.fieldErrors().getOrDefault("ranking", e.detail()) + ".";
            return Response.status(e.status()).entity(page(itemId, ranking == null ? "" : ranking, error)).build();
        } catch (ProblemException e) {
            return Flash.error("/review/items/" + itemId, "Not saved: " + e.detail());
        }
    }

    @POST
    @Path("/gold/clear")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response clearGold(@PathParam("itemId") long itemId) {
        try {
            items.clearGold(itemId);
            return Flash.redirect("/review/items/" + itemId, "An ordinary item again.");
        } catch (ProblemException e) {
            return Flash.error("/review/items/" + itemId, e.detail());
        }
    }

    @POST
    @Path("/rankings/{rankingId}/restore")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response restore(@PathParam("itemId") long itemId, @PathParam("rankingId") long rankingId) {
        try {
            review.restore(rankingId);
            return Flash.redirect("/review/items/" + itemId, "Restored.");
        } catch (ProblemException e) {
            return Flash.error("/review/items/" + itemId, e.detail());
        }
    }
}
