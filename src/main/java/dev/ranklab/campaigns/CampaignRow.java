package dev.ranklab.campaigns;

import java.util.Locale;

/** A campaign in the list: its settings and how far its annotation has come. */
public record CampaignRow(CampaignView campaign, long done, long needed) {

    static CampaignRow of(CampaignView campaign, long[] doneAndNeeded) {
        return new CampaignRow(campaign, doneAndNeeded[0], doneAndNeeded[1]);
    }

    /** The share done as the list shows it, or a dash when nothing is needed yet. */
    public String percent() {
        return needed == 0 ? "–" : String.format(Locale.ROOT, "%.0f%%", 100.0 * done / needed);
    }
}
