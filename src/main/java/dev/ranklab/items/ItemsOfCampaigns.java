package dev.ranklab.items;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ranklab.campaigns.CampaignItems;

/** Answers the campaign feature's questions about a campaign's items and imports. */
@ApplicationScoped
public class ItemsOfCampaigns implements CampaignItems {

    @Inject
    ItemService items;

    @Override
    public long countIn(long campaignId) {
        return items.countIn(campaignId);
    }

    @Override
    public List<ImportLine> recentImports(long campaignId, int limit) {
        return items.recentImports(campaignId, limit).stream()
                .map(i -> new ImportLine(i.id, i.startedAt, i.fileName, i.source.name().toLowerCase(Locale.ROOT),
                        i.status.name().toLowerCase(Locale.ROOT), i.lines, i.imported, i.duplicates,
                        i.rejectedCount))
                .toList();
    }
}
