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

/** The item browser: search a campaign's items, filter by status, and open one to see all its work. */
@Path("/campaigns/{id}/items")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class ItemBrowserPages {

    static final int PAGE = 50;

    @CheckedTemplate(basePath = "items")
    static class Templates {

        static native TemplateInstance browser(Campaign campaign, List<ItemService.ItemRow> items, String q,
                String status, Long next, long after, ItemService.ItemState[] states);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    ItemService items;

    @GET
    public TemplateInstance browse(@PathParam("id") long id, @QueryParam("q") @DefaultValue("") String q,
            @QueryParam("status") @DefaultValue("ALL") String status,
            @QueryParam("after") @DefaultValue("0") long after) {
        Campaign campaign = campaigns.get(id);
        // One more than a page tells whether there is a next page without counting the whole campaign.
        List<ItemService.ItemRow> rows = items.search(id, q, status, after, PAGE + 1);
        Long next = rows.size() > PAGE ? rows.get(PAGE - 1).id() : null;
        return Templates.browser(campaign, rows.subList(0, Math.min(PAGE, rows.size())), q, status, next, after,
                ItemService.ItemState.values());
    }
}
