package dev.ranklab.items;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Reads a campaign's items and its import history. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ItemService {

    public static final int MAX_PAGE = 1000;

    public long countIn(long campaignId) {
        return Item.countInCampaign(campaignId);
    }

    public List<Item> page(long campaignId, long afterId, int limit) {
        return Item.pageInCampaign(campaignId, afterId, Math.max(1, Math.min(limit, MAX_PAGE)));
    }

    public List<ItemImport> recentImports(long campaignId, int limit) {
        return ItemImport.recentInCampaign(campaignId, limit);
    }

    public ItemImport findImport(long campaignId, long importId) {
        ItemImport record = ItemImport.findById(importId);
        return record != null && record.campaignId == campaignId ? record : null;
    }
}
