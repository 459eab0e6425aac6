package dev.ranklab.rewardmodel;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.ranklab.users.Role;
import dev.ranklab.web.Flash;
import dev.ranklab.web.ProblemException;

/** The data page's button that scores a campaign's responses with the serving version. */
@Path("/campaigns/{id}/scores")
@RolesAllowed(Role.RESEARCHER_NAME)
public class CampaignScoresPages {

    @Inject
    CampaignScoring scoring;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response score(@PathParam("id") long campaignId) {
        String page = "/campaigns/" + campaignId + "/data#reward-model";
        try {
            scoring.start(campaignId, null);
            return Flash.redirect(page, "Scoring started; it runs in the background.");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Flash.error(page, e.detail());
        }
    }
}
