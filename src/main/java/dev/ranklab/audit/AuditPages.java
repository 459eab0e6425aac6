package dev.ranklab.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    /** A kind of action to filter by: the prefix of its actions ("item.") and how the filter names it. */
    public record Kind(String prefix, String label) {

        /** The kinds of the recorded actions, each labelled with its actions: "item (gold, gold clear, review)". */
        static List<Kind> of(List<String> actions) {
            Map<String, List<String>> byKind = new TreeMap<>();
            for (String action : actions) {
                int dot = action.indexOf('.');
                String kind = dot < 0 ? action : action.substring(0, dot);
                List<String> rest = byKind.computeIfAbsent(kind, k -> new ArrayList<>());
                if (dot >= 0) {
                    rest.add(action.substring(dot + 1).replace('.', ' ').replace('_', ' '));
                }
            }
            List<Kind> kinds = new ArrayList<>();
            byKind.forEach((kind, rest) -> kinds.add(new Kind(kind + ".", kind.replace('_', ' ')
                    + (rest.isEmpty() ? "" : " (" + String.join(", ", rest) + ")"))));
            return kinds;
        }
    }

    @CheckedTemplate(basePath = "audit")
    static class Templates {

        static native TemplateInstance log(List<AuditRow> entries, String action, String actor, List<Kind> kinds,
                Long older);
    }

    @Inject
    AuditQueries audit;

    @Inject
    Instance<AuditTargetNames> namers;

    @GET
    public TemplateInstance log(@QueryParam("before") Long before, @QueryParam("action") String action,
            @QueryParam("actor") String actor) {
        List<Kind> kinds = new ArrayList<>(Kind.of(audit.actions()));
        // A link may name one action ("export.link", as the API's filter takes it) or one never recorded: the page
        // filters by it as given, and the picker shows it, rather than quietly listing everything.
        String kind = action == null ? "" : action.strip();
        if (!kind.isEmpty() && kinds.stream().noneMatch(k -> k.prefix().equals(kind))) {
            kinds.add(new Kind(kind, kind));
        }
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
        return Templates.log(entries.stream().map(e -> AuditRow.of(e, names)).toList(), kind, who, kinds, older);
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
