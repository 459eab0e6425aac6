package dev.ranklab.users;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;

import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** User accounts. */
@Path("/api/v1/users")
@Tag(name = "Users")
@Produces(MediaType.APPLICATION_JSON)
public class UserApi {

    /** A new account. */
    public record CreateUser(String username, String password, String role) {
    }

    /** An account as the API shows it; never the password hash. */
    public record UserView(long id, String username, Role role, boolean active, OffsetDateTime createdAt) {

        static UserView of(User user) {
            return new UserView(user.id, user.username, user.role, user.active, user.createdAt);
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
    public Response create(CreateUser body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {username, password, role} is required");
        }
        User user = users.create(body.username(), body.password(), parseRole(body.role()));
        return Response.status(201).entity(UserView.of(user)).build();
    }

    @GET
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "List users")
    public List<UserView> list() {
        return users.list().stream().map(UserView::of).toList();
    }

    @GET
    @Path("/me")
    @Authenticated
    @Operation(summary = "The user this request is authenticated as")
    public UserView me() {
        return UserView.of(users.get(currentUser.requireId()));
    }

    static Role parseRole(String role) {
        if (role == null || role.isBlank()) {
            throw InvalidInputException.of("role", "is required: ANNOTATOR, RESEARCHER or ADMIN");
        }
        try {
            return Role.valueOf(role.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("role", "must be ANNOTATOR, RESEARCHER or ADMIN");
        }
    }
}
