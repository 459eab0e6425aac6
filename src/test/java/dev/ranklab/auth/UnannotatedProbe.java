package dev.ranklab.auth;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A resource that, on purpose, declares no security annotation: the configuration must deny it to everyone, so
 * that a route whose author forgot its roles is closed rather than open. It exists only in the tests.
 */
@Path(UnannotatedProbe.PATH)
public class UnannotatedProbe {

    static final String PATH = "/test-only/unannotated";

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true)
    public String reached() {
        return "reached without any declared role";
    }
}
