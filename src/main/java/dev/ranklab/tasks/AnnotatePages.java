package dev.ranklab.tasks;

import java.util.List;
import java.util.Optional;

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
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;

/** The annotator's workspace: their campaigns, and the task pages for ranking and demonstrations. */
@Path("/annotate")
@RolesAllowed(Role.ANNOTATOR_NAME)
@Produces(MediaType.TEXT_HTML)
public class AnnotatePages {

    /** An admin's preview of a task page: the item shown, and the next one to preview (null at the end). */
    public record Preview(long itemId, Long nextItemId) {
    }

    /** A campaign on the annotator's home page, with their progress in it. */
    public record CampaignCard(Campaign campaign, AnnotatorProgress progress) {

        /** Whether this annotator finished as many tasks as the campaign's cap allows (counted as the queue does). */
        public boolean capReached() {
            return campaign.maxTasksPerAnnotator != null && finished() >= campaign.maxTasksPerAnnotator;
        }

        /** Tasks still open to this annotator: the items left for them, never more than their cap leaves. */
        public long left() {
            if (campaign.maxTasksPerAnnotator == null) {
                return progress.remaining();
            }
            return Math.max(0, Math.min(progress.remaining(), campaign.maxTasksPerAnnotator - finished()));
        }

        private long finished() {
            return progress.submitted() + progress.skipped();
        }
    }

    @CheckedTemplate(basePath = "annotate")
    static class Templates {

        static native TemplateInstance home(List<CampaignCard> cards);

        static native TemplateInstance ranking(Campaign campaign, TaskView task, AnnotatorProgress progress,
                Preview preview);

        static native TemplateInstance demonstration(Campaign campaign, TaskView task, AnnotatorProgress progress,
                Preview preview);

        static native TemplateInstance done(Campaign campaign, AnnotatorProgress progress);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    QueueService queue;

    @Inject
    CurrentUser currentUser;

    @GET
    public TemplateInstance home() {
        long me = currentUser.requireId();
        List<CampaignCard> cards = campaigns.list(false, me).stream()
                .map(c -> new CampaignCard(c, queue.progress(c.id, me, c.overlap)))
                .toList();
        return Templates.home(cards);
    }

    /** Leases the next task (or shows the one already leased) and renders its page. */
    @GET
    @Path("/{campaignId}")
    public TemplateInstance task(@PathParam("campaignId") long campaignId) {
        long me = currentUser.requireId();
        Optional<TaskView> task = queue.next(campaignId, me, false);
        Campaign campaign = campaigns.get(campaignId);
        AnnotatorProgress progress = queue.progress(campaignId, me, campaign.overlap);
        if (task.isEmpty()) {
            return Templates.done(campaign, progress);
        }
        return campaign.kind == CampaignKind.RANKING
                ? Templates.ranking(campaign, task.get(), progress, null)
                : Templates.demonstration(campaign, task.get(), progress, null);
    }
}
