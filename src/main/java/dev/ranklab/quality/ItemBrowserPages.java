package dev.ranklab.quality;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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

/**
 * The item browser: search a campaign's items, filter by status, sort by agreement or amount of work, see each one's
 * consensus, and open one to see all its work.
 */
@Path("/campaigns/{id}/items")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class ItemBrowserPages {

    static final int PAGE = 50;

    /** A page of items with each one's consensus written out ("r2 > r1 = r3"), where it has one. */
    public record Listing(List<ItemService.ItemRow> items, Map<Long, String> consensus) {

        public String consensusOf(long itemId) {
            return consensus.getOrDefault(itemId, "");
        }
    }

    @CheckedTemplate(basePath = "items")
    static class Templates {

        static native TemplateInstance browser(Campaign campaign, Listing listing, String q, String status,
                String sort, String base, Long next, long after, long offset, ItemService.ItemState[] states);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    ItemService items;

    @Inject
    ReviewService review;

    @GET
    public TemplateInstance browse(@PathParam("id") long id, @QueryParam("q") @DefaultValue("") String q,
            @QueryParam("status") @DefaultValue("ALL") String status,
            @QueryParam("sort") @DefaultValue("import") String sort,
            @QueryParam("after") @DefaultValue("0") long after, @QueryParam("offset") @DefaultValue("0") long offset) {
        Campaign campaign = campaigns.get(id);
        ItemService.ItemSort order = ItemService.ItemSort.parse(sort);
        boolean keyset = order == ItemService.ItemSort.IMPORT;
        // One more than a page tells whether there is a next page without counting the whole campaign.
        List<ItemService.ItemRow> rows = items.search(id, q, status, order, keyset ? after : 0,
                keyset ? 0 : offset, PAGE + 1);
        Long next = rows.size() <= PAGE ? null : keyset ? rows.get(PAGE - 1).id() : offset + PAGE;
        List<ItemService.ItemRow> page = rows.subList(0, Math.min(PAGE, rows.size()));
        Listing listing = new Listing(page, review.consensus(page.stream().map(ItemService.ItemRow::id).toList()));
        // The search as a link, which the column headers and the pager extend with an order and a page.
        String base = "/campaigns/" + id + "/items?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&status="
                + URLEncoder.encode(status, StandardCharsets.UTF_8);
        return Templates.browser(campaign, listing, q, status, order.param, base, next, keyset ? after : 0,
                keyset ? 0 : offset, ItemService.ItemState.values());
    }
}
