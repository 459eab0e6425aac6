package dev.ranklab.users;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.Flash;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * The admin's user list with a form to add users, and a user's page (revoking one of their tokens is posted to the
 * auth feature's {@code UserTokenPages}).
 */
@Path("/admin/users")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.TEXT_HTML)
public class UserPages {

    /** What the create form held, to show it again next to its error. */
    public record NewUserForm(String username, String role) {
    }

    @CheckedTemplate(basePath = "users")
    static class Templates {

        static native TemplateInstance list(List<User> users, int total, String q,
                Map<Long, java.time.OffsetDateTime> lastActive, NewUserForm form, Map<String, String> errors,
                List<Role> roles);

        static native TemplateInstance detail(User user, List<UserSessions.TokenView> tokens, List<Role> roles,
                boolean self, Map<String, String> errors);
    }

    @Inject
    UserService users;

    @GET
    public TemplateInstance list(@jakarta.ws.rs.QueryParam("q") String q) {
        String search = q == null ? "" : q.strip().toLowerCase(java.util.Locale.ROOT);
        List<User> all = users.list();
        List<User> shown = all.stream().filter(u -> search.isEmpty() || u.username.toLowerCase(java.util.Locale.ROOT)
                .contains(search)
                || u.groups != null && java.util.Arrays.stream(u.groups)
                        .anyMatch(g -> g.toLowerCase(java.util.Locale.ROOT).contains(search)))
                .toList();
        return Templates.list(shown, all.size(), q == null ? "" : q.strip(), tokens.lastActivity(),
                new NewUserForm("", Role.ANNOTATOR.name()), Map.of(),
                List.of(Role.values()));
    }

    @Inject
    UserSessions tokens;

    @Inject
    CurrentUser currentUser;

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") long id) {
        return detail(id, Map.of());
    }

    private TemplateInstance detail(long id, Map<String, String> errors) {
        User user = users.get(id);
        return Templates.detail(user, tokens.liveOf(id),
                List.of(Role.values()), user.id.equals(currentUser.getId()), errors);
    }

    @POST
    @Path("/{id}/role")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeRole(@PathParam("id") long id, @RestForm String role) {
        return change(id, () -> users.update(id, Role.parse(role), null, null), "Role changed; their "
                + "sessions ended.");
    }

    @POST
    @Path("/{id}/groups")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeGroups(@PathParam("id") long id, @RestForm String groups) {
        // Commas or lines separate names: "Team A" is one (refused) name, not the groups "team" and "a".
        List<String> names = groups == null || groups.isBlank()
                ? List.of()
                : List.of(groups.split("[,\\n]+"));
        return change(id, () -> users.setGroups(id, names), "Groups saved.");
    }

    @POST
    @Path("/{id}/active")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeActive(@PathParam("id") long id, @DefaultValue("false") @RestForm boolean active) {
        return change(id, () -> users.update(id, null, active, null), active
                ? "Reactivated."
                : "Deactivated: sessions ended, leases released, work kept.");
    }

    @POST
    @Path("/{id}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resetPassword(@PathParam("id") long id, @RestForm String password) {
        return change(id, () -> users.update(id, null, null, password == null ? "" : password),
                "New password set; their sessions ended.");
    }

    /**
     * Runs one of the page's forms: done, back to the page with a success; refused for a field (a short password,
     * a bad group, the last admin), the page again with the error next to that field; refused otherwise, an error.
     */
    private Response change(long id, Runnable action, String done) {
        users.get(id);
        try {
            action.run();
            return Flash.redirect("/admin/users/" + id, done);
        } catch (InvalidInputException e) {
            return Response.status(e.status()).entity(detail(id, e.fieldErrors())).build();
        } catch (ProblemException e) {
            return Flash.error("/admin/users/" + id, e.detail());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String username, @RestForm String password, @RestForm String role) {
        NewUserForm form = new NewUserForm(username == null ? "" : username.trim(), role);
        try {
            User user = users.create(form.username(), password, Role.parse(role));
            return Flash.redirect("/admin/users", "Created " + user.role.name().toLowerCase() + " '" + user.username
                    + "'.");
        } catch (InvalidInputException e) {
            return Response.status(e.status())
                    .entity(Templates.list(users.list(), users.list().size(), "", tokens.lastActivity(), form,
                            e.fieldErrors(), List.of(Role.values())))
                    .build();
        }
    }
}
