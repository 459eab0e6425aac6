package dev.ranklab.tasks;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.items.Item;
import dev.ranklab.items.ItemService;
import dev.ranklab.users.Role;
import dev.ranklab.web.Flash;
import dev.ranklab.web.ProblemException;

/**
 * Shows an admin exactly the page an annotator gets for an item, through the same templates and script, without
 * leasing anything: guidelines, flags, K and the responses' order can be checked before a campaign goes live.
 */
@Path("/campaigns/{id}/preview")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class PreviewPages {

    @Inject
    CampaignService campaigns;

    @Inject
    ItemService items;

    @Inject
    QueueService queue;

    @GET
    public Response preview(@PathParam("id") long id, @QueryParam("item") Long itemId) {
        Campaign campaign = campaigns.get(id);
        Item item;
        if (itemId == null) {
            item = items.page(id, 0, 1).stream().findFirst().orElse(null);
            if (item == null) {
                // Not an error: the campaign is new. Its page says so where the import form is.
                return Flash.warning("/campaigns/" + id + "#import", "Nothing to preview yet: this campaign has no "
                        + "items. Import some, then Preview shows the task page annotators will get.");
            }
        } else {
            item = items.get(itemId);
            if (item.campaignId != id) {
                throw ProblemException.notFound("campaign " + id + " has no item " + itemId);
            }
        }
        Long next = items.page(id, item.id, 1).stream().findFirst().map(i -> i.id).orElse(null);
        TaskView task = queue.preview(campaign, item);
        AnnotatorProgress progress = new AnnotatorProgress(0, 0, 0, items.countIn(id));
        AnnotatePages.Preview preview = new AnnotatePages.Preview(item.id, next);
        return Response.ok(campaign.kind == CampaignKind.RANKING
                ? AnnotatePages.Templates.ranking(campaign, task, progress, preview, null)
                : AnnotatePages.Templates.demonstration(campaign, task, progress, preview, null)).build();
    }
}
