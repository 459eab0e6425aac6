package dev.ranklab.audit;

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

import dev.ranklab.users.Role;
import dev.ranklab.web.ProblemException;

/** The audit log, newest first, and all of it as JSON lines. */
@Path("/api/v1/audit")
@Tag(name = "Audit")
@RolesAllowed(Role.ADMIN_NAME)
public class AuditApi {

    static final int MAX_LIMIT = 1_000;

    @Inject
    AuditQueries audit;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Audit entries, newest first: before=<id> pages back; action= filters by action or "
            + "prefix (campaign.), actor= by username")
    public List<AuditQueries.Entry> list(@QueryParam("before") Long before,
            @QueryParam("limit") @DefaultValue("100") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = ""
                    + MAX_LIMIT)) int limit,
            @QueryParam("action") String action, @QueryParam("actor") String actor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        return audit.page(before, limit, action, actor);
    }

    @GET
    @Path("/export")
    @Produces("application/x-ndjson")
    @Operation(summary = "The whole audit log as JSON lines, oldest first")
    public Response export() {
        StreamingOutput body = audit::exportTo;
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"ranklab-audit.jsonl\"")
                .build();
    }
}
