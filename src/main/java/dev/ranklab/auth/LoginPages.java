package dev.ranklab.auth;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** The login form and logout for browsers; a session is a server-side token in an HttpOnly cookie. */
@Path("/")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class LoginPages {

    @CheckedTemplate(basePath = "auth")
    static class Templates {

        static native TemplateInstance login(String username, String next, String error);
    }

    @Inject
    LoginService login;

    @Inject
    AuthTokenService tokens;

    @Inject
    RanklabConfig config;

    @Inject
    CurrentUser currentUser;

    @Inject
    HttpServerRequest request;

    @GET
    @Path("login")
    public Response form(@QueryParam("next") String next) {
        if (currentUser.isLoggedIn()) {
            return Response.seeOther(URI.create(safeNext(next))).build();
        }
        return Response.ok(Templates.login("", safeNext(next), null)).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@RestForm String username, @RestForm String password, @RestForm String next) {
        String target = safeNext(next);
        String name = username == null ? "" : username.trim();
        try {
            AuthTokenService.Issued session = login.login(name, password == null ? "" : password,
                    request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                    AuthToken.Kind.SESSION);
            NewCookie cookie = new NewCookie.Builder(TokenAuthenticationMechanism.SESSION_COOKIE)
                    .value(session.token())
                    .path("/")
                    .httpOnly(true)
                    .secure(config.session().secureCookie())
                    .sameSite(NewCookie.SameSite.LAX)
                    .maxAge((int) config.session().lifetime().toSeconds())
                    .build();
            return Response.seeOther(URI.create(target)).cookie(cookie).build();
        } catch (ProblemException e) {
            String message = e.status() == 429 ? e.detail() : "Wrong username or password.";
            return Response.status(e.status()).entity(Templates.login(name, target, message)).build();
        }
    }

    @POST
    @Path("logout")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
    public Response logout(@CookieParam(TokenAuthenticationMechanism.SESSION_COOKIE) String session) {
        if (session != null && !session.isBlank()) {
            tokens.revoke(session);
        }
        NewCookie expired = new NewCookie.Builder(TokenAuthenticationMechanism.SESSION_COOKIE)
                .value("")
                .path("/")
                .httpOnly(true)
                .maxAge(0)
                .build();
        return Response.seeOther(URI.create("/login")).cookie(expired).build();
    }

    /** Only a path on this site, so that the login form cannot be used to redirect people elsewhere. */
    static String safeNext(String next) {
        if (next == null || next.isBlank() || !next.startsWith("/") || next.startsWith("//")
                || next.contains("\\") || next.startsWith("/login") || next.chars().anyMatch(Character::isISOControl)) {
            return "/";
        }
        return next;
    }
}
