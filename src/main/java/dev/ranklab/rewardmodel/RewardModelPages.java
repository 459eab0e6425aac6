package dev.ranklab.rewardmodel;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.config.RanklabConfig;
import dev.ranklab.rewardmodel.RewardModelVersion.Trigger;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.Flash;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** The reward model for researchers and admins: versions, their metrics and progress, training and rollback. */
@Path("/reward-models")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.TEXT_HTML)
public class RewardModelPages {

    @CheckedTemplate(basePath = "rewardmodel")
    static class Templates {

        static native TemplateInstance versions(VersionRow serving, List<VersionRow> versions,
                List<Campaign> campaigns, boolean busy, int retrainAfter, int autoMinimum, String tolerance,
                Confirmation confirmation, Choice choice);
    }

    /**
     * The training form's choices brought back from a cancelled confirmation, so that the admin finds them as they
     * left them, with focus on the button that asked (null on a plain visit).
     */
    public record Choice(Long campaignId, boolean fullRetrain) {
    }

    /** The second thought before a training on fewer campaigns may replace the serving version. */
    public record Confirmation(long campaignId, String campaignName, boolean fullRetrain, String reason) {
    }

    @Inject
    RewardModelService models;

    @Inject
    CurrentUser currentUser;

    @Inject
    RanklabConfig config;

    @GET
    public TemplateInstance versions(@RestQuery Long confirm, @DefaultValue("false") @RestQuery boolean full,
            @RestQuery Long campaign) {
        List<Campaign> campaigns = Campaign.<Campaign>list("kind = ?1 ORDER BY name", CampaignKind.RANKING);
        Map<Long, String> names = new HashMap<>();
        campaigns.forEach(c -> names.put(c.id, c.name));
        List<VersionRow> rows = models.list().stream().map(v -> VersionRow.of(v, names)).toList();
        VersionRow serving = rows.stream().filter(VersionRow::promoted).findFirst().orElse(null);
        boolean busy = rows.stream().anyMatch(r -> r.status().equals("QUEUED") || r.status().equals("RUNNING"));
        Confirmation confirmation = null;
        if (confirm != null && currentUser.isAdmin() && names.containsKey(confirm)) {
            String reason = models.narrowerThanServing(new Long[]{confirm});
            if (reason != null) {
                confirmation = new Confirmation(confirm, names.get(confirm), full, reason);
            }
        }
        return Templates.versions(serving, rows, campaigns, busy, config.rewardModel().retrainAfterComparisons(),
                config.rewardModel().autoTrainMinComparisons(),
                String.format(Locale.ROOT, "%.1f", config.rewardModel().promotionTolerance() * 100), confirmation,
                campaign != null && confirmation == null && names.containsKey(campaign)
                        ? new Choice(campaign, full)
                        : null);
    }

    @POST
    @Path("/train")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response train(@RestForm String campaignId, @DefaultValue("false") @RestForm boolean fullRetrain,
            @DefaultValue("false") @RestForm boolean replaceWiderScope) {
        Long campaign = null;
        if (campaignId != null && !campaignId.isBlank()) {
            try {
                campaign = Long.valueOf(campaignId);
            } catch (NumberFormatException e) {
                return Flash.error("/reward-models", "Choose a campaign from the list.");
            }
        }
        if (campaign != null && !replaceWiderScope && models.narrowerThanServing(new Long[]{campaign}) != null) {
            // A second thought first: the page asks before a narrower training may replace the serving version. No
            // fragment in the address: a browser skips autofocus (here on the question) when the address has one.
            return Response
                    .seeOther(URI.create("/reward-models?confirm=" + campaign + "&full=" + fullRetrain))
                    .build();
        }
        try {
            RewardModelVersion version = models.requestTraining(
                    TrainRequest.of(campaign, fullRetrain, replaceWiderScope), Trigger.ADMIN, currentUser.getId());
            return Flash.redirect("/reward-models", "Training v" + version.version + " is queued.");
        } catch (InvalidInputException e) {
            return Flash.error("/reward-models", e.inWords(Map.of("campaignId", "Learn from")));
        } catch (ProblemException e) {
            return Flash.error("/reward-models", e.detail());
        }
    }

    @POST
    @Path("/{version}/promote")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response promote(@PathParam("version") int version) {
        try {
            models.promote(version, "promoted by " + currentUser.getUsername());
            return Flash.redirect("/reward-models", "v" + version + " now serves.");
        } catch (ProblemException e) {
            return Flash.error("/reward-models", e.detail());
        }
    }
}
