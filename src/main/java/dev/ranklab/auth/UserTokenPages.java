package dev.ranklab.auth;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.ranklab.users.Role;
import dev.ranklab.users.UserService;
import dev.ranklab.web.Flash;

/** The revoke button beside each session and token on a user's admin page. */
@Path("/admin/users/{id}/tokens")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class UserTokenPages {

    @Inject
    UserService users;

    @Inject
    AuthTokenService tokens;

    @POST
    @Path("/{tokenId}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("id") long id, @PathParam("tokenId") long tokenId) {
        users.get(id);
        String page = "/admin/users/" + id;
        if (!tokens.revokeById(id, tokenId)) {
            return Flash.error(page, "no such live token");
        }
        return Flash.redirect(page, "Revoked.");
    }
}
