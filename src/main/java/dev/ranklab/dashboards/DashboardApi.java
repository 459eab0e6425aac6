package dev.ranklab.dashboards;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** The numbers behind a campaign's dashboard, for its charts and for scripts. */
@Path("/api/v1/campaigns/{id}/dashboard")
@Tag(name = "Dashboards")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class DashboardApi {

    @Inject
    DashboardService dashboards;

    @Inject
    CurrentUser currentUser;

    @GET
    @Operation(summary = "Progress with a finish estimate, throughput per day (30 days) and hour (48 hours), "
            + "per-annotator counts, median time and agreement, rating histogram, flag rates, and the reward "
            + "model's held-out accuracy per version beside its predecessor's accuracy on the new rankings")
    public Dashboard get(@PathParam("id") long id, @QueryParam("realNames") @DefaultValue("false") boolean realNames) {
        if (realNames && !currentUser.isAdmin()) {
            throw ProblemException.forbidden("realNames=true is for admins; researchers get pseudonyms");
        }
        return dashboards.of(id, realNames);
    }
}
