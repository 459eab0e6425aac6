package dev.ranklab.audit;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.query.NativeQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.database.Snapshot;

/** Reads the audit log for the audit API and page: a page of entries, or all of them streamed. */
@ApplicationScoped
public class AuditQueries {

    /** One entry as the API shows it; details are the stored JSON. */
    @Schema(name = "AuditEntry")
    public record Entry(long id, OffsetDateTime at, Long actorId, String actor, String action, String target,
            JsonNode details) {
    }

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /**
     * Every action recorded so far, in order. The log grows without end and the page asks on each view, so the
     * distinct actions are read by skipping through the action index (one probe per action), not by a scan.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<String> actions() {
        return em.createNativeQuery("""
                WITH RECURSIVE a(action) AS (
                    (SELECT action FROM audit_log ORDER BY action LIMIT 1)
                    UNION ALL
                    SELECT (SELECT l.action FROM audit_log l WHERE l.action > a.action ORDER BY l.action LIMIT 1)
                      FROM a WHERE a.action IS NOT NULL)
                SELECT action FROM a WHERE action IS NOT NULL""").getResultList();
    }

    /**
     * Entries newest first, older than {@code before} when given; {@code action} is an action or, ending in a dot,
     * a prefix of actions ("campaign."); {@code actor} a username.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Entry> page(Long before, int limit, String action, String actor) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, at, actor_id, actor, action, target, details::text AS details FROM audit_log WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (before != null) {
            parameters.add(before);
            sql.append(" AND id < ?").append(parameters.size());
        }
        if (action != null && !action.isBlank()) {
            String prefix = action.strip();
            parameters.add(prefix);
            String parameter = "?" + parameters.size();
            sql.append(prefix.endsWith(".")
                    ? " AND starts_with(action, " + parameter + ")"
                    : " AND action = "
                            + parameter);
        }
        if (actor != null && !actor.isBlank()) {
            parameters.add(actor.strip());
            sql.append(" AND actor = ?").append(parameters.size());
        }
        parameters.add(limit);
        sql.append(" ORDER BY id DESC LIMIT ?").append(parameters.size());
        Query query = em.createNativeQuery(sql.toString());
        for (int i = 0; i < parameters.size(); i++) {
            query.setParameter(i + 1, parameters.get(i));
        }
        // Typed columns, so that the timestamp comes back as an OffsetDateTime whatever the JDBC type mapping.
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.unwrap(NativeQuery.class).addScalar("id", Long.class)
                .addScalar("at", OffsetDateTime.class).addScalar("actor_id", Long.class)
                .addScalar("actor", String.class).addScalar("action", String.class)
                .addScalar("target", String.class).addScalar("details", String.class).getResultList();
        List<Entry> entries = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            entries.add(new Entry((Long) row[0], (OffsetDateTime) row[1], (Long) row[2], (String) row[3],
                    (String) row[4], (String) row[5], details((String) row[6])));
        }
        return entries;
    }

    /**
     * The whole log as JSON lines, oldest first, from one snapshot through a cursor (plain JDBC: the log may be
     * long, and only a cursor keeps it out of memory).
     */
    public void exportTo(OutputStream out) {
        Snapshot.read(dataSource, """
                SELECT json_build_object('id', id, 'at', at, 'actorId', actor_id, 'actor', actor,
                                         'action', action, 'target', target, 'details', details)::text
                  FROM audit_log ORDER BY id
                """, List.of(), row -> {
            out.write(row.getString(1).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            return true;
        });
    }

    private JsonNode details(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the audit log holds details that are not JSON", e);
        }
    }
}
