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
        long items,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    static CampaignView of(Campaign campaign, long items) {
        return new CampaignView(campaign.id, campaign.name, campaign.kind, campaign.status,
                campaign.responsesPerItem, campaign.overlap, campaign.guidelines, campaign.leaseMinutes,
                campaign.flags, campaign.skipsCountTowardOverlap, campaign.demonstrationMinChars,
                campaign.demonstrationMaxChars, campaign.queuePolicy, campaign.showScoresToAnnotators,
                campaign.maxTasksPerAnnotator, items,
                campaign.createdAt, campaign.updatedAt);
    }
}
