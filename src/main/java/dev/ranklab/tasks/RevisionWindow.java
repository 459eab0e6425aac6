package dev.ranklab.tasks;

import java.util.Locale;

import dev.ranklab.campaigns.CampaignStatus;

/**
 * Whether an annotator's finished task can still be revised, and if not why, in words the annotator reads: only
 * submitted work, only while the campaign is ACTIVE, and only until an admin has rejected it or reviewed its item.
 */
public record RevisionWindow(TaskStatus status, String campaign, CampaignStatus campaignStatus, boolean reviewed,
        boolean rejected) {

    /** Null while the task can be revised, otherwise why it cannot. */
    public String closedBecause() {
        if (status == TaskStatus.SKIPPED) {
            return "you skipped this task; only submitted work can be revised";
        }
        if (status == TaskStatus.UNRANKABLE) {
            return "you reported this task as impossible to rank; only submitted work can be revised";
        }
        if (status != TaskStatus.SUBMITTED) {
            return "this task is not submitted yet";
        }
        if (campaignStatus != CampaignStatus.ACTIVE) {
            return "the campaign \u201c" + campaign + "\u201d is " + campaignStatus.name().toLowerCase(Locale.ROOT)
                    + "; work can be revised only while its campaign is active";
        }
        if (rejected) {
            return "an admin rejected this work; rejected work cannot be revised";
        }
        if (reviewed) {
            return "an admin has reviewed this item; reviewed work cannot be revised";
        }
        return null;
    }

    public boolean open() {
        return closedBecause() == null;
    }
}
