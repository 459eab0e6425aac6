package dev.ranklab.campaigns;

import java.util.List;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.dashboards.DashboardService;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.Flash;
import dev.ranklab.web.InvalidInputException;

/**
 * Campaign pages: the list, the create and edit forms, a campaign's page with its lifecycle and recent imports (the
 * import form posts to the items feature's {@code ItemImportPages}).
 */
@Path("/campaigns")
@Produces(MediaType.TEXT_HTML)
public class CampaignPages {

    @CheckedTemplate(basePath = "campaigns")
    static class Templates {

        static native TemplateInstance list(List<CampaignRow> campaigns, int total, String q, String status);

        /** @param locked whether the campaign has items, so that its kind and K can no longer change */
        /** @param storedName the campaign's name as stored (the breadcrumb), null for a new one */
        static native TemplateInstance form(Long id, CampaignForm form, Map<String, String> errors, boolean locked,
                String storedName);

        static native TemplateInstance detail(CampaignView campaign, List<CampaignStatus> nextStatuses,
                List<CampaignItems.ImportLine> imports);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    CampaignItems items;

    @Inject
    CurrentUser currentUser;

    @Inject
    DashboardService dashboards;

    @GET
    @RolesAllowed({Role.ANNOTATOR_NAME, Role.RESEARCHER_NAME})
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("status") String status) {
        String search = q == null ? "" : q.strip();
        String wanted = status == null ? "" : status.strip().toUpperCase(java.util.Locale.ROOT);
        List<Campaign> all = campaigns.list(seesAll(), currentUser.requireId());
        List<Campaign> shown = all.stream()
                .filter(c -> search.isEmpty()
                        || c.name.toLowerCase(java.util.Locale.ROOT)
                                .contains(search.toLowerCase(java.util.Locale.ROOT)))
                .filter(c -> wanted.isEmpty() || c.status.name().equals(wanted))
                .toList();
        Map<Long, long[]> progress = dashboards.doneAndNeeded(shown.stream().map(c -> c.id).toList());
        List<CampaignRow> rows = shown.stream()
                .map(c -> CampaignRow.of(campaigns.view(c), progress.getOrDefault(c.id, new long[]{0, 0})))
                .toList();
        return Templates.list(rows, all.size(), search, wanted);
    }

    @GET
    @Path("/new")
    @RolesAllowed(Role.ADMIN_NAME)
    public TemplateInstance newForm() {
        return Templates.form(null, CampaignForm.blank(), Map.of(), false, null);
    }

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String name, @RestForm String kind, @RestForm String responsesPerItem,
            @RestForm String overlap, @RestForm String leaseMinutes, @RestForm String guidelines,
            @RestForm String flags, @DefaultValue("false") @RestForm boolean skipsCountTowardOverlap,
            @RestForm String demonstrationMinChars,
            @RestForm String demonstrationMaxChars, @RestForm String queuePolicy,
            @DefaultValue("false") @RestForm boolean showScoresToAnnotators, @RestForm String maxTasksPerAnnotator,
            @RestForm String goldFirstTasks, @RestForm String goldPercent, @RestForm String assignedAnnotators,
            @RestForm String assignedGroups, @DefaultValue("false") @RestForm boolean ratingsOptional,
            @RestForm String skipReasons, @DefaultValue("false") @RestForm boolean skipReasonRequired) {
        CampaignForm form = new CampaignForm(name, kind, responsesPerItem, overlap, leaseMinutes, guidelines, flags,
                skipsCountTowardOverlap, demonstrationMinChars, demonstrationMaxChars, queuePolicy,
                showScoresToAnnotators, maxTasksPerAnnotator, goldFirstTasks, goldPercent, assignedAnnotators,
                assignedGroups, ratingsOptional, skipReasons, skipReasonRequired);
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        try {
            Campaign campaign = campaigns.create(form.toInput(errors), currentUser.getId(), errors);
            return Flash.redirect("/campaigns/" + campaign.id, "Campaign created. Import items, then activate it.");
        } catch (InvalidInputException e) {
            return Response.status(400).entity(Templates.form(null, form, e.fieldErrors(), false, null)).build();
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ANNOTATOR_NAME, Role.RESEARCHER_NAME})
    public TemplateInstance detail(@PathParam("id") long id) {
        Campaign campaign = campaigns.getVisible(id, seesAll(), currentUser.requireId());
        List<CampaignStatus> next = currentUser.isAdmin()
                ? campaign.status.next().stream().sorted().toList()
                : List.of();
        List<CampaignItems.ImportLine> imports = currentUser.isAdmin() ? items.recentImports(id, 10) : List.of();
        return Templates.detail(campaigns.view(campaign), next, imports);
    }

    @GET
    @Path("/{id}/edit")
    @RolesAllowed(Role.ADMIN_NAME)
    public TemplateInstance editForm(@PathParam("id") long id) {
        CampaignView view = campaigns.view(campaigns.get(id));
        Campaign campaign = campaigns.get(id);
        return Templates.form(id, CampaignForm.of(campaign, view), Map.of(), !view.withoutItems(), campaign.name);
    }

    @POST
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") long id, @RestForm String name, @RestForm String kind,
            @RestForm String responsesPerItem, @RestForm String overlap, @RestForm String leaseMinutes,
            @RestForm String guidelines, @RestForm String flags,
            @DefaultValue("false") @RestForm boolean skipsCountTowardOverlap,
            @RestForm String demonstrationMinChars, @RestForm String demonstrationMaxChars,
            @RestForm String queuePolicy, @DefaultValue("false") @RestForm boolean showScoresToAnnotators,
            @RestForm String maxTasksPerAnnotator, @RestForm String goldFirstTasks, @RestForm String goldPercent,
            @RestForm String assignedAnnotators, @RestForm String assignedGroups,
            @DefaultValue("false") @RestForm boolean ratingsOptional, @RestForm String skipReasons,
            @DefaultValue("false") @RestForm boolean skipReasonRequired) {
        CampaignForm form = new CampaignForm(name, kind, responsesPerItem, overlap, leaseMinutes, guidelines, flags,
                skipsCountTowardOverlap, demonstrationMinChars, demonstrationMaxChars, queuePolicy,
                showScoresToAnnotators, maxTasksPerAnnotator, goldFirstTasks, goldPercent, assignedAnnotators,
                assignedGroups, ratingsOptional, skipReasons, skipReasonRequired);
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        try {
            campaigns.update(id, form.toInput(errors), errors);
            return Flash.redirect("/campaigns/" + id, "Campaign saved.");
        } catch (InvalidInputException e) {
            Campaign stored = campaigns.get(id);
            boolean locked = !campaigns.view(stored).withoutItems();
            return Response.status(400).entity(Templates.form(id, form.keepingUnsent(stored, locked),
                    e.fieldErrors(), locked, stored.name)).build();
        }
    }

    @POST
    @Path("/{id}/status")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeStatus(@PathParam("id") long id, @RestForm String status) {
        try {
            Campaign campaign = campaigns.update(id,
                    CampaignInput.status(status == null ? "" : status));
            return Flash.redirect("/campaigns/" + id, "Campaign is now " + campaign.status + ".");
        } catch (InvalidInputException e) {
            return Flash.error("/campaigns/" + id, e.detail());
        }
    }

    private boolean seesAll() {
        return currentUser.isResearcher() || currentUser.isAdmin();
    }
}
