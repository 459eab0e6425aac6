package dev.ranklab.auth;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.users.UserService;
import dev.ranklab.users.UserSessions;
import dev.ranklab.web.ProblemException;

/** An admin's view of a user's sessions and API tokens, and their revocation. */
@Path("/api/v1/users/{id}/tokens")
@Tag(name = "Users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public class UserTokensApi {

    @Inject
    UserService users;

    @Inject
    AuthTokenService tokens;

    // The operation ids are those these routes had when they were served by UserApi: generated clients name their
    // functions after them (user_api_tokens), so moving the code must not rename them.
    @GET
    @Operation(operationId = "UserApi_tokens", summary = "A user's live sessions and API tokens")
    public List<UserSessions.TokenView> tokens(@PathParam("id") long id) {
        users.get(id);
        return tokens.liveOf(id);
    }

    @DELETE
    @Path("/{tokenId}")
    @Operation(operationId = "UserApi_revoke", summary = "Revoke one of a user's sessions or API tokens")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Response revoke(@PathParam("id") long id, @PathParam("tokenId") long tokenId) {
        users.get(id);
        if (!tokens.revokeById(id, tokenId)) {
            throw ProblemException.notFound("user " + id + " has no live token " + tokenId);
        }
        return Response.noContent().build();
    }
}
