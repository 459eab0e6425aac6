package dev.ranklab.quality;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.items.ItemService;
import dev.ranklab.users.Role;
import dev.ranklab.web.ProblemException;

/** A campaign's review queue, for admins. */
@Path("/campaigns/{id}/review")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class ReviewPages {

    @CheckedTemplate(basePath = "review")
    static class Templates {

        static native TemplateInstance queue(Campaign campaign, List<ReviewService.DisputedItem> items,
                String threshold, boolean includeReviewed);

        /** goldInput and goldError: a refused gold reference as typed, and why (both null otherwise). */
        static native TemplateInstance item(Campaign campaign, ReviewService.ItemReview item, String agreement,
                ItemService.Generation generation, String goldInput, String goldError);
    }

    @Inject
    ReviewService review;

    @Inject
    CampaignService campaigns;

    @GET
    public TemplateInstance queue(@PathParam("id") long id,
            @QueryParam("threshold") @DefaultValue("0.5") String threshold,
            @DefaultValue("false") @QueryParam("includeReviewed") boolean includeReviewed) {
        double value;
        try {
            value = Double.parseDouble(threshold);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("threshold must be a number from 0 to 1");
        }
        return Templates.queue(campaigns.get(id), review.queue(id, value, includeReviewed), threshold,
                includeReviewed);
    }
}
