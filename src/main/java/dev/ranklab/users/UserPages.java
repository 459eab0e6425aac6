package dev.ranklab.users;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.web.Flash;
import dev.ranklab.web.InvalidInputException;

/** The admin's user list with a form to add users. */
@Path("/admin/users")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class UserPages {

    /** What the create form held, to show it again next to its error. */
    public record NewUserForm(String username, String role) {
    }

    @CheckedTemplate(basePath = "users")
    static class Templates {

        static native TemplateInstance list(List<User> users, NewUserForm form, Map<String, String> errors,
                List<Role> roles);
    }

    @Inject
    UserService users;

    @GET
    public TemplateInstance list() {
        return Templates.list(users.list(), new NewUserForm("", Role.ANNOTATOR.name()), Map.of(),
                List.of(Role.values()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String username, @RestForm String password, @RestForm String role) {
        NewUserForm form = new NewUserForm(username == null ? "" : username.trim(), role);
        try {
            User user = users.create(form.username(), password, UserApi.parseRole(role));
            return Flash.redirect("/admin/users", "Created " + user.role.name().toLowerCase() + " '" + user.username
                    + "'.");
        } catch (InvalidInputException e) {
            return Response.status(e.status())
                    .entity(Templates.list(users.list(), form, e.fieldErrors(), List.of(Role.values())))
                    .build();
        }
    }
}
