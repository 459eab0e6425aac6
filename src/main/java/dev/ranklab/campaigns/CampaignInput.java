package dev.ranklab.campaigns;

import java.util.List;

/**
 * A campaign's settings as sent by the API or a form. On create, absent fields take defaults; on PATCH, absent
 * (null) fields stay as they are. Enums are strings here so that a wrong value gets our message, not Jackson's.
 */
public record CampaignInput(
        String name,
        String kind,
        Integer responsesPerItem,
        Integer overlap,
        String guidelines,
        Integer leaseMinutes,
        List<FlagInput> flags,
        String status,
        Boolean skipsCountTowardOverlap,
        Integer demonstrationMinChars,
        Integer demonstrationMaxChars,
        String queuePolicy,
        Boolean showScoresToAnnotators,
        Integer maxTasksPerAnnotator,
        Integer goldFirstTasks,
        Integer goldPercent,
        List<String> assignedAnnotators,
        List<String> assignedGroups) {

    /** Only a status change. */
    public static CampaignInput status(String status) {
        return new CampaignInput(null, null, null, null, null, null, null, status, null, null, null, null, null,
                null, null, null, null, null);
    }

    /** A flag as sent: the label is optional and defaults to the code. */
    public record FlagInput(String code, String label) {
    }
}
