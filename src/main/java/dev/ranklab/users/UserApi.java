package dev.ranklab.users;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;

import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** User accounts. */
@Path("/api/v1/users")
@Tag(name = "Users")
@Produces(MediaType.APPLICATION_JSON)
public class UserApi {

    /** A new account. */
    /** Body of PATCH: every field optional. */
    public record UpdateUser(@Schema(implementation = Role.class) String role, Boolean active,
            @Schema(minLength = UserService.MIN_PASSWORD, maxLength = UserService.MAX_PASSWORD) String password,
            @Schema(type = SchemaType.ARRAY, implementation = Groups.ApiName.class, maxItems = Groups.MAX_GROUPS) List<String> groups) {
    }

    public record CreateUser(
            @Schema(required = true, pattern = "^" + UserService.USERNAME_REGEX + "$") String username,
            @Schema(required = true, minLength = UserService.MIN_PASSWORD, maxLength = UserService.MAX_PASSWORD) String password,
            @Schema(required = true, implementation = Role.class) String role,
            @Schema(type = SchemaType.ARRAY, implementation = Groups.ApiName.class, maxItems = Groups.MAX_GROUPS) List<String> groups) {
    }

    /** An account as the API shows it; never the password hash. */
    public record UserView(long id, String username, Role role, boolean active, List<String> groups,
            OffsetDateTime createdAt) {

        static UserView of(User user) {
            return new UserView(user.id, user.username, user.role, user.active, List.of(user.groups),
                    user.createdAt);
        }
    }

    @Inject
    UserService users;

    @Inject
    CurrentUser currentUser;

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a user")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    public Response create(CreateUser body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {username, password, role} is required");
        }
        User user = users.create(body.username(), body.password(), Role.parse(body.role()));
        if (body.groups() != null) {
            user = users.setGroups(user.id, body.groups());
        }
        return Response.status(201).entity(UserView.of(user)).build();
    }

    @GET
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "List users")
    public List<UserView> list() {
        return users.list().stream().map(UserView::of).toList();
    }

    @PATCH
    // Digits only, so that /users/me is not also this route: a PATCH there is refused with 405, not 400.
    @Path("/{id: [0-9]+}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a user's role or groups, deactivate or reactivate them, or set a new password", description = "Deactivating ends their sessions and tokens and releases their leases; their work is "
            + "kept. The last active admin cannot be demoted or deactivated (409).")
    public UserView update(@PathParam("id") long id, UpdateUser body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {role?, active?, password?, groups?} is required");
        }
        Role role = body.role() == null ? null : Role.parse(body.role());
        if (body.groups() != null) {
            users.setGroups(id, body.groups());
        }
        if (role == null && body.active() == null && body.password() == null) {
            return UserView.of(users.get(id));
        }
        return UserView.of(users.update(id, role, body.active(), body.password()));
    }

    @GET
    @Path("/me")
    @Authenticated
    @Operation(summary = "The user this request is authenticated as")
    public UserView me() {
        return UserView.of(users.get(currentUser.requireId()));
    }
}
