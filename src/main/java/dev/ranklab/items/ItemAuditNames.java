package dev.ranklab.items;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.ranklab.audit.AuditTargetNames;
import dev.ranklab.campaigns.CampaignAuditNames;

/**
 * Names items on the audit page as people know them: by the external id they were imported with, and their
 * campaign's name ("q-17 in Summaries"), where the entry says {@code item:123}.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ItemAuditNames implements AuditTargetNames {

    @Inject
    EntityManager em;

    @Inject
    CampaignAuditNames campaigns;

    @Override
    public String kind() {
        return "item";
    }

    @Override
    public Map<Long, String> names(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        // Only the three columns: an item's prompt and responses may be large.
        List<Object[]> rows = em.createQuery("SELECT i.id, i.externalId, i.campaignId FROM Item i WHERE i.id IN ?1",
                Object[].class).setParameter(1, ids).getResultList();
        Set<Long> campaignIds = new HashSet<>();
        rows.forEach(row -> campaignIds.add((Long) row[2]));
        Map<Long, String> campaignNames = campaigns.names(campaignIds);
        Map<Long, String> names = new HashMap<>();
        for (Object[] row : rows) {
            String campaign = campaignNames.get((Long) row[2]);
            names.put((Long) row[0], row[1] + (campaign == null ? "" : " in " + campaign));
        }
        return names;
    }
}
