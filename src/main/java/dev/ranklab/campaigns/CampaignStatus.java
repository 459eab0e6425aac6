package dev.ranklab.campaigns;

import java.util.Set;

/** A campaign's lifecycle: DRAFT → ACTIVE ⇄ PAUSED → ARCHIVED. Annotators see only ACTIVE campaigns. */
public enum CampaignStatus {

    DRAFT, ACTIVE, PAUSED, ARCHIVED;

    /** The statuses this one may move to. Archiving is final, and there is no way back to DRAFT. */
    public Set<CampaignStatus> next() {
        return switch (this) {
            case DRAFT -> Set.of(ACTIVE, ARCHIVED);
            case ACTIVE -> Set.of(PAUSED, ARCHIVED);
            case PAUSED -> Set.of(ACTIVE, ARCHIVED);
            case ARCHIVED -> Set.of();
        };
    }

    public boolean canMoveTo(CampaignStatus target) {
        return next().contains(target);
    }
}
