package dev.ranklab.users;

import java.util.Collection;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ranklab.audit.AuditTargetNames;

/** Names users on the audit page by their usernames. */
@ApplicationScoped
public class UserAuditNames implements AuditTargetNames {

    @Inject
    UserService users;

    @Override
    public String kind() {
        return "user";
    }

    @Override
    public Map<Long, String> names(Collection<Long> ids) {
        return users.usernames(ids);
    }
}
