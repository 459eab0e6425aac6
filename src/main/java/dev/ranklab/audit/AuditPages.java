package dev.ranklab.audit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.users.Role;

/** The audit log for admins, newest first, filtered by kind of action or by who did it. */
@Path("/admin/audit")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class AuditPages {

    static final int PAGE = 50;
    /** The kinds of action, as prefixes to filter by. */
    static final List<String> KINDS = List.of("campaign.", "items.", "user.", "token.", "reward_model.", "export.");

    @CheckedTemplate(basePath = "audit")
    static class Templates {

        static native TemplateInstance log(List<AuditRow> entries, String action, String actor,
                List<String> kinds, Long older);
    }

    @Inject
    AuditQueries audit;

    @Inject
    Instance<AuditTargetNames> namers;

    @GET
    public TemplateInstance log(@QueryParam("before") Long before, @QueryParam("action") String action,
            @QueryParam("actor") String actor) {
        String kind = action != null && KINDS.contains(action) ? action : "";
        String who = actor == null ? "" : actor.strip();
        List<AuditQueries.Entry> entries = audit.page(before, PAGE + 1, kind, who);
        Long older = null;
        if (entries.size() > PAGE) {
            entries = entries.subList(0, PAGE);
            older = entries.get(PAGE - 1).id();
        }
        Map<String, Map<Long, String>> names = new HashMap<>();
        for (AuditTargetNames namer : namers) {
            names.put(namer.kind(), namer.names(idsOf(entries, namer.kind())));
        }
        Map<Long, String> campaignNames = names.getOrDefault("campaign", Map.of());
        Map<Long, String> usernames = names.getOrDefault("user", Map.of());
        return Templates.log(entries.stream().map(e -> AuditRow.of(e, campaignNames, usernames)).toList(), kind,
                who, KINDS, older);
    }

    private static Set<Long> idsOf(List<AuditQueries.Entry> entries, String kind) {
        Set<Long> ids = new HashSet<>();
        for (AuditQueries.Entry entry : entries) {
            Long id = AuditRow.idOf(entry.target());
            if (id != null && kind.equals(AuditRow.kindOf(entry.target()))) {
                ids.add(id);
            }
        }
        return ids;
    }
}
