package dev.ranklab.campaigns;

import java.time.OffsetDateTime;
import java.util.List;

/** A campaign as the API shows it. */
public record CampaignView(
        long id,
        String name,
        CampaignKind kind,
        CampaignStatus status,
        Integer responsesPerItem,
        int overlap,
        String guidelines,
        int leaseMinutes,
        List<Flag> flags,
        boolean skipsCountTowardOverlap,
        int demonstrationMinChars,
        int demonstrationMaxChars,
        QueuePolicy queuePolicy,
        boolean showScoresToAnnotators,
        Integer maxTasksPerAnnotator,
        int goldFirstTasks,
        int goldPercent,
        List<String> assignedAnnotators,
        List<String> assignedGroups,
        boolean ratingsRequired,
        List<String> skipReasons,
        boolean skipReasonRequired,
        long items,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /** The view without the assignment lists, for annotators. */
    CampaignView withoutAssignments() {
        return new CampaignView(id, name, kind, status, responsesPerItem, overlap, guidelines, leaseMinutes, flags,
                skipsCountTowardOverlap, demonstrationMinChars, demonstrationMaxChars, queuePolicy,
                showScoresToAnnotators, maxTasksPerAnnotator, goldFirstTasks, goldPercent, List.of(), List.of(),
                ratingsRequired, skipReasons, skipReasonRequired, items, createdAt, updatedAt);
    }

    /** @param assignedAnnotators the usernames of the campaign's assigned annotators */
    static CampaignView of(Campaign campaign, long items, List<String> assignedAnnotators) {
        return new CampaignView(campaign.id, campaign.name, campaign.kind, campaign.status,
                campaign.responsesPerItem, campaign.overlap, campaign.guidelines, campaign.leaseMinutes,
                campaign.flags, campaign.skipsCountTowardOverlap, campaign.demonstrationMinChars,
                campaign.demonstrationMaxChars, campaign.queuePolicy, campaign.showScoresToAnnotators,
                campaign.maxTasksPerAnnotator, campaign.goldFirstTasks, campaign.goldPercent, assignedAnnotators,
                List.of(campaign.assignedGroups), campaign.ratingsRequired, List.of(campaign.skipReasons),
                campaign.skipReasonRequired, items, campaign.createdAt, campaign.updatedAt);
    }

    /** Whether it has no items yet, so activating it would give annotators nothing to do (not a JSON field). */
    public boolean withoutItems() {
        return items == 0;
    }
}
