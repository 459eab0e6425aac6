package dev.ranklab.export;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.ProblemException;

/** The JSON Schema of each export format's lines, for validating or typing what an export gives. */
@Path("/api/v1/export-schemas")
@Tag(name = "Exports")
@RolesAllowed(Role.RESEARCHER_NAME)
public class ExportSchemaApi {

    @GET
    @Path("/{format}")
    @Produces("application/schema+json")
    @Operation(summary = "The JSON Schema every line of an export format validates against: rankings, pairs, trl, "
            + "kto or sft; aggregate=consensus for the consensus rankings line")
    public Map<String, Object> schema(
            @PathParam("format") @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"rankings",
                    "pairs", "trl", "kto",
                    "sft"})) String format,
            @QueryParam("aggregate") @DefaultValue("none") @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {
                    "none",
                    "consensus"})) String aggregate) {
        boolean consensus = switch (aggregate) {
            case "none" -> false;
            case "consensus" -> true;
            default -> throw ProblemException.badRequest("aggregate must be none or consensus");
        };
        return ExportSchema.jsonSchema(ExportFormat.parse(format), consensus);
    }
}
