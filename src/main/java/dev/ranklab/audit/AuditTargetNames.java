package dev.ranklab.audit;

import java.util.Collection;
import java.util.Map;

/**
 * Names the things of one kind that audit entries target, so that the audit page reads "campaign Summaries" where the
 * entry says {@code campaign:17}. Every feature writes to the audit log, so the log may depend on none of them: a
 * feature whose things should be named implements this interface, and each table is read only by the feature that
 * owns it.
 */
public interface AuditTargetNames {

    /** The prefix of the targets this names, before the colon: "campaign" for {@code campaign:17}. */
    String kind();

    /** The names of those of the ids that still exist, by id. */
    Map<Long, String> names(Collection<Long> ids);
}
