package dev.ranklab.campaigns;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.ranklab.audit.AuditTargetNames;

/** Names campaigns on the audit page. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class CampaignAuditNames implements AuditTargetNames {

    @Override
    public String kind() {
        return "campaign";
    }

    @Override
    public Map<Long, String> names(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Campaign> found = Campaign.list("id in ?1", ids);
        return found.stream().collect(Collectors.toMap(c -> c.id, c -> c.name));
    }
}
