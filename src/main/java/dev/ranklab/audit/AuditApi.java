package dev.ranklab.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.database.Snapshot;
import dev.ranklab.users.Role;
import dev.ranklab.web.ProblemException;

/** The audit log, newest first, and all of it as JSON lines. */
@Path("/api/v1/audit")
@Tag(name = "Audit")
@RolesAllowed(Role.ADMIN_NAME)
public class AuditApi {

    static final int MAX_LIMIT = 1_000;

    /** One entry as the API shows it; details are JSON text as stored. */
    public record Entry(long id, OffsetDateTime at, Long actorId, String actor, String action, String target,
            com.fasterxml.jackson.databind.JsonNode details) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Audit entries, newest first: before=<id> pages back; action= filters by action or "
            + "prefix (campaign.), actor= by username")
    public List<Entry> list(@QueryParam("before") Long before,
            @QueryParam("limit") @DefaultValue("100") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = ""
                    + MAX_LIMIT)) int limit,
            @QueryParam("action") String action, @QueryParam("actor") String actor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        return query(before, limit, action, actor);
    }

    public List<Entry> query(Long before, int limit, String action, String actor) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, at, actor_id, actor, action, target, details::text FROM audit_log WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (before != null) {
            sql.append(" AND id < ?");
            parameters.add(before);
        }
        if (action != null && !action.isBlank()) {
            String prefix = action.strip();
            if (prefix.endsWith(".")) {
                sql.append(" AND starts_with(action, ?)");
            } else {
                sql.append(" AND action = ?");
            }
            parameters.add(prefix);
        }
        if (actor != null && !actor.isBlank()) {
            sql.append(" AND actor = ?");
            parameters.add(actor.strip());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(limit);
        List<Entry> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getLong(1), rows.getObject(2, OffsetDateTime.class),
                            (Long) rows.getObject(3), rows.getString(4), rows.getString(5), rows.getString(6),
                            json.readTree(rows.getString(7))));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading the audit log failed", e);
        }
        return entries;
    }

    @GET
    @Path("/export")
    @Produces("application/x-ndjson")
    @Operation(summary = "The whole audit log as JSON lines, oldest first")
    public Response export() {
        StreamingOutput body = (OutputStream out) -> Snapshot.read(dataSource, """
                SELECT json_build_object('id', id, 'at', at, 'actorId', actor_id, 'actor', actor,
                                         'action', action, 'target', target, 'details', details)::text
                  FROM audit_log ORDER BY id
                """, List.of(), row -> {
            out.write(row.getString(1).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            return true;
        });
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"ranklab-audit.jsonl\"")
                .build();
    }
}
