package dev.ranklab.dashboards;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.leaderboard.LeaderboardLine;
import dev.ranklab.leaderboard.LeaderboardService;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;

/**
 * A campaign's dashboard: the numbers in tables rendered here, and the same numbers drawn as charts by a script
 * that reads them from the dashboard API (Chart.js, served by the app).
 */
@Path("/campaigns/{id}/dashboard")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.TEXT_HTML)
public class DashboardPages {

    /** The panel shows the leaders; the Models page has them all. */
    private static final int TOP_MODELS = 5;

    @CheckedTemplate(basePath = "dashboards")
    static class Templates {

        static native TemplateInstance campaign(Campaign campaign, Dashboard dashboard, boolean realNames,
                List<LeaderboardLine> models, int modelCount);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    DashboardService dashboards;

    @Inject
    CurrentUser currentUser;

    @Inject
    LeaderboardService leaderboard;

    @GET
    public TemplateInstance show(@PathParam("id") long id) {
        boolean realNames = currentUser.isAdmin();
        Campaign campaign = campaigns.get(id);
        List<LeaderboardLine> models = campaign.kind == CampaignKind.RANKING
                ? LeaderboardLine.of(leaderboard.board(id))
                : List.of();
        return Templates.campaign(campaign, dashboards.of(id, realNames), realNames,
                models.subList(0, Math.min(TOP_MODELS, models.size())), models.size());
    }
}
