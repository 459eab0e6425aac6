package dev.ranklab.campaigns;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the campaign feature needs to know about a campaign's items, answered by the items feature. Items depend on
 * campaigns (an item belongs to one and is checked against its kind), so campaigns ask through this interface instead
 * of importing the items feature back.
 */
public interface CampaignItems {

    /** How many items the campaign holds; once it holds any, its kind and K can no longer change. */
    long countIn(long campaignId);

    /** The campaign's latest imports, newest first, for the import section of its page. */
    List<ImportLine> recentImports(long campaignId, int limit);

    /** One import as the campaign page lists it; source and status are lower-case words ("upload", "done"). */
    record ImportLine(long id, OffsetDateTime startedAt, String fileName, String source, String status, int lines,
            int imported, int duplicates, int rejectedCount) {
    }
}
