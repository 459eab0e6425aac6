package dev.ranklab.auth;

import java.time.OffsetDateTime;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;

import dev.ranklab.web.ApiPatterns;
import dev.ranklab.web.Problem;
import dev.ranklab.web.ProblemException;

/** Bearer tokens for scripts. */
@Path("/api/v1/auth/token")
@Tag(name = "Authentication")
@Produces(MediaType.APPLICATION_JSON)
public class AuthApi {

    /** Credentials for a token. */
    public record TokenRequest(@Schema(required = true, pattern = ApiPatterns.NOT_BLANK) String username,
            @Schema(required = true, minLength = 1) String password) {
    }

    /** A new token; send it as {@code Authorization: Bearer <token>}. */
    public record TokenResponse(@Schema(required = true) String token,
            @Schema(required = true) OffsetDateTime expiresAt) {
    }

    @Inject
    LoginService login;

    @Inject
    AuthTokenService tokens;

    @Inject
    HttpServerRequest request;

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exchange a username and password for an expiring, revocable bearer token")
    @APIResponse(responseCode = "200", description = "The token", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "Wrong username or password, or a deactivated account", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many failed logins for this username; try again after Retry-After seconds", headers = @Header(name = "Retry-After", description = "Seconds until the next attempt may succeed", schema = @Schema(type = SchemaType.INTEGER)), content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TokenResponse issue(TokenRequest body) {
        if (body == null || body.username() == null || body.username().isBlank()) {
            throw ProblemException.badRequest("username is required");
        }
        if (body.password() == null || body.password().isEmpty()) {
            throw ProblemException.badRequest("password is required");
        }
        AuthTokenService.Issued issued = login.login(body.username(), body.password(),
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(), AuthToken.Kind.API);
        return new TokenResponse(issued.token(), issued.expiresAt());
    }

    @DELETE
    @Authenticated
    @Operation(summary = "Revoke the bearer token this request carries")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Response revoke(@HeaderParam("Authorization") String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "bearer ", 0, 7)) {
            throw ProblemException.badRequest("send the token to revoke as Authorization: Bearer <token>");
        }
        tokens.revoke(authorization.substring(7).trim());
        return Response.noContent().build();
    }
}
