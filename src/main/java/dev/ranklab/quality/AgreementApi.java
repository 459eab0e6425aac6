package dev.ranklab.quality;

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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** Inter-annotator agreement of a ranking campaign. */
@Path("/api/v1/campaigns/{id}/agreement")
@Tag(name = "Quality")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class AgreementApi {

    @Inject
    AgreementService agreement;

    @Inject
    CurrentUser currentUser;

    @GET
    @Operation(summary = "Agreement between annotators from overlap: pairwise agreement, Kendall's tau-b, "
            + "Krippendorff's alpha (ordinal), and per annotator (pseudonyms; realNames=true for admins), flagged "
            + "when their pairwise agreement with the others is below flagBelow")
    public Agreement.Result get(@PathParam("id") long campaignId,
            @QueryParam("realNames") @DefaultValue("false") boolean realNames,
            @QueryParam("flagBelow") @DefaultValue("0.5") @Parameter(schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1")) double flagBelow) {
        if (!(flagBelow >= 0 && flagBelow <= 1)) {
            throw ProblemException.badRequest("flagBelow must be a number from 0 to 1");
        }
        if (realNames && !currentUser.isAdmin()) {
            throw ProblemException.forbidden("realNames=true is for admins; researchers get pseudonyms");
        }
        return agreement.of(campaignId, realNames, flagBelow);
    }

    @GET
    @Path("/gold")
    @Operation(summary = "Each annotator against the gold items' reference rankings: the share of response pairs "
            + "ordered as the reference orders them, and Kendall's tau-b; flagged below flagBelow (default 0.7)")
    public GoldAgreement.Result gold(@PathParam("id") long campaignId,
            @QueryParam("realNames") @DefaultValue("false") boolean realNames,
            @QueryParam("flagBelow") @DefaultValue(""
                    + AgreementService.DEFAULT_GOLD_FLAG_BELOW) @Parameter(schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1")) double flagBelow) {
        if (!(flagBelow >= 0 && flagBelow <= 1)) {
            throw ProblemException.badRequest("flagBelow must be a number from 0 to 1");
        }
        if (realNames && !currentUser.isAdmin()) {
            throw ProblemException.forbidden("realNames=true is for admins; researchers get pseudonyms");
        }
        return agreement.gold(campaignId, realNames, flagBelow);
    }
}
