package dev.ranklab.tasks;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    /**
     * Submitted work being revised on the task page: the version the controls start from, as JSON the page reads
     * (ranking, ratings, flags, comment or demonstration).
     */
    public record Revising(FinishedTask done, String json) {

        /** The number the revision being made will have. */
        public int next() {
            return done.revision() + 1;
        }
    }

    @CheckedTemplate(basePath = "annotate")
    static class Templates {

        static native TemplateInstance home(List<CampaignCard> cards);

        static native TemplateInstance ranking(Campaign campaign, TaskView task, AnnotatorProgress progress,
                Preview preview, Revising revising);

        static native TemplateInstance demonstration(Campaign campaign, TaskView task, AnnotatorProgress progress,
                Preview preview, Revising revising);

        static native TemplateInstance finished(Campaign campaign, List<FinishedTask> tasks, Long older);

        static native TemplateInstance submitted(Campaign campaign, TaskView task, FinishedTask done,
                boolean revised);

        static native TemplateInstance done(Campaign campaign, AnnotatorProgress progress);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    QueueService queue;

    @Inject
    HistoryService history;

    @Inject
    CurrentUser currentUser;

    @Inject
    ObjectMapper json;

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
                ? Templates.ranking(campaign, task.get(), progress, null, null)
                : Templates.demonstration(campaign, task.get(), progress, null, null);
    }

    /** The annotator's finished tasks in the campaign, newest first, a page at a time. */
    @GET
    @Path("/{campaignId}/done")
    public TemplateInstance done(@PathParam("campaignId") long campaignId, @QueryParam("before") Long before) {
        List<FinishedTask> tasks = history.finished(campaignId, currentUser.requireId(), before,
                HistoryService.DEFAULT_PAGE);
        Long older = tasks.size() == HistoryService.DEFAULT_PAGE ? tasks.get(tasks.size() - 1).taskId() : null;
        return Templates.finished(campaigns.get(campaignId), tasks, older);
    }

    /** The task the annotator finished last in the campaign, or the (empty) Done list when there is none. */
    @GET
    @Path("/{campaignId}/previous")
    public Response previous(@PathParam("campaignId") long campaignId) {
        Optional<Long> last = history.last(campaignId, currentUser.requireId());
        return Response.seeOther(URI.create(last.map(id -> "/annotate/tasks/" + id)
                .orElse("/annotate/" + campaignId + "/done"))).build();
    }

    /** A finished task as it was submitted, read-only, with the way to revise it or the reason it cannot be. */
    @GET
    @Path("/tasks/{taskId}")
    public TemplateInstance submitted(@PathParam("taskId") long taskId, @QueryParam("revised") String revised) {
        FinishedTask done = history.one(taskId, currentUser.requireId());
        Task task = Task.findById(taskId);
        return Templates.submitted(campaigns.get(done.campaignId()), queue.view(task), done, revised != null);
    }

    /** The task page with its controls filled from the latest revision; saving sends a PUT of the submission. */
    @GET
    @Path("/tasks/{taskId}/revise")
    public Object revise(@PathParam("taskId") long taskId) {
        FinishedTask done = history.one(taskId, currentUser.requireId());
        if (!done.revisable()) {
            return Response.seeOther(URI.create("/annotate/tasks/" + taskId)).build();
        }
        Campaign campaign = campaigns.get(done.campaignId());
        TaskView task = queue.view(Task.findById(taskId));
        AnnotatorProgress progress = queue.progress(campaign.id, currentUser.requireId(), campaign.overlap);
        Revising revising = new Revising(done, submissionJson(done));
        return campaign.kind == CampaignKind.RANKING
                ? Templates.ranking(campaign, task, progress, null, revising)
                : Templates.demonstration(campaign, task, progress, null, revising);
    }

    private String submissionJson(FinishedTask done) {
        Map<String, Object> submission = new LinkedHashMap<>();
        submission.put("revision", done.revision());
        submission.put("ranking", done.ranking());
        submission.put("ratings", done.ratings());
        submission.put("flags", done.flags());
        submission.put("comment", done.comment());
        submission.put("demonstration", done.demonstration());
        try {
            return json.writeValueAsString(submission);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a submission is plain JSON", e);
        }
    }
}
