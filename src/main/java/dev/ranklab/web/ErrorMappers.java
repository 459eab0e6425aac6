package dev.ranklab.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns every failure into {@code application/problem+json} for the API and an error page for the browser, never
 * showing a stack trace or class name to the caller.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Who a page refused before authentication is shown as when the credentials sent do not authenticate. */
    private static final SecurityIdentity ANONYMOUS = QuarkusSecurityIdentity.builder().setAnonymous(true)
            .setPrincipal(new QuarkusPrincipal("")).build();

    @Inject
    RouteTable routes;

    @Inject
    CurrentIdentityAssociation identities;

    @CheckedTemplate(basePath = "")
    static class Templates {

        static native TemplateInstance error(int status, String title, String detail);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response response = respond(uri, e.status(), e.title(), e.detail());
        if (e.retryAfter() != null) {
            return Response.fromResponse(response)
                    .header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds()))).build();
        }
        return response;
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        if (isApi(uri)) {
            return Response.status(401)
                    .header("WWW-Authenticate", "Bearer realm=\"ranklab\"")
                    .type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(401, "Unauthorized",
                            "log in: send Authorization: Bearer <token> from POST /api/v1/auth/token",
                            uri.getPath()))
                    .build();
        }
        String next = uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
        return Response.seeOther(URI.create("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(uri, 403, "Forbidden", "your role does not allow this");
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return respond(uri, 400, "Invalid request", describe(e));
    }

    // Quarkus maps these subtypes itself with an empty body; ours name the field.
    @ServerExceptionMapper({MismatchedInputException.class, JsonMappingException.class})
    public Response mismatchedJson(JsonProcessingException e, UriInfo uri) {
        return respond(uri, 400, "Invalid request", describe(e));
    }

    /**
     * JAX-RS's own refusals. An unknown URL or a wrong method is refused before any resource runs, on the IO thread,
     * where the identity (authenticated lazily) cannot be asked for by blocking: it is resolved first, so that the
     * error page's layout can show who is logged in.
     */
    @ServerExceptionMapper
    public Uni<Response> web(WebApplicationException e, UriInfo uri, Request request) {
        if (isApi(uri)) {
            return Uni.createFrom().item(refusal(e, uri, request));
        }
        return identities.getDeferredIdentity()
                .onFailure().recoverWithItem(() -> ANONYMOUS)
                .map(identity -> {
                    identities.setIdentity(identity);
                    return refusal(e, uri, request);
                });
    }

    private Response refusal(WebApplicationException e, UriInfo uri, Request request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return respond(uri, 400, "Invalid request", describe(json));
        }
        int status = e.getResponse().getStatus();
        if (status == 404 && e.getCause() != null) {
            // JAX-RS answers 404 when a query or path parameter does not convert to its type: say what it is.
            String query = uri.getRequestUri().getRawQuery();
            return respond(uri, 400, "Invalid request", "a query or path parameter does not have the expected type "
                    + "(whole numbers for ids and limits, true or false for flags): "
                    + (query == null ? uri.getPath() : query));
        }
        Set<String> allowed = routes.allowed(uri.getPath());
        if ((status == 404 || status == 405) && !allowed.isEmpty() && !allowed.contains(request.getMethod())) {
            // The path exists, the method does not: JAX-RS says 404 when another class owns a shorter prefix.
            return Response.fromResponse(respond(uri, 405, "Method Not Allowed", "this method is not allowed on "
                    + uri.getPath() + "; allowed: " + RouteTable.header(allowed)))
                    .header("Allow", RouteTable.header(allowed)).build();
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error" : type.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource: " + uri.getPath();
            case 406 -> "cannot produce the media type asked for in Accept";
            case 413 -> "the request body is too large";
            case 415 -> "unsupported Content-Type for " + uri.getPath();
            default -> title;
        };
        return respond(uri, status, title, detail);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (databaseUnavailable(e)) {
            // The pool reconnects by itself once PostgreSQL is back. A connection lost during a commit leaves the
            // outcome unknown, so the answer promises nothing about it; a retry with the same key is safe either way.
            LOG.warnf("Database unavailable on %s: %s", uri.getPath(), e.getMessage());
            return Response.fromResponse(respond(uri, 503, "Service Unavailable",
                    "the database is unavailable; try again in a few seconds (retrying a submission with the same "
                            + "Idempotency-Key is always safe)"))
                    .header("Retry-After", "5").build();
        }
        String refused = refusedByTheDatabase(e);
        if (refused != null) {
            // The statement failed, so its transaction rolled back: nothing was stored.
            return respond(uri, 400, "Invalid request", refused);
        }
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(e, "Unexpected error %s on %s", incident, uri.getPath());
        return respond(uri, 500, "Internal error", "something went wrong on our side (incident " + incident + ")");
    }

    /**
     * Whether the failure is PostgreSQL being unreachable or shutting down (SQLSTATE classes 08 and 57P), or the
     * connection pool finding no connection in time.
     */
    static boolean databaseUnavailable(Throwable e) {
        return databaseUnavailable(e, 0);
    }

    // A failed commit reports the connection error as a suppressed exception of the rollback, so both the causes
    // and the suppressed exceptions are searched.
    private static boolean databaseUnavailable(Throwable e, int depth) {
        if (e == null || depth > 12) {
            return false;
        }
        if (e instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                return true;
            }
            String message = String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("acquisition timeout") || message.contains("connection refused")
                    || message.contains("i/o error")) {
                return true;
            }
        }
        for (Throwable suppressed : e.getSuppressed()) {
            if (databaseUnavailable(suppressed, depth + 1)) {
                return true;
            }
        }
        return databaseUnavailable(e.getCause(), depth + 1);
    }

    /**
     * What was wrong with a value PostgreSQL refused (SQLSTATE class 22, data exceptions), or null for any other
     * failure. The validation in front of the database should catch these; this keeps a gap in it a 400, not a 500.
     */
    static String refusedByTheDatabase(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("22")) {
                return switch (sql.getSQLState()) {
                    case "22021", "22P05" -> "text must not contain NUL characters or invalid UTF-8";
                    case "22003" -> "a number is out of range";
                    case "22001" -> "a value is too long";
                    default -> "a value has the wrong format";
                };
            }
        }
        return null;
    }

    private static Response respond(UriInfo uri, int status, String title, String detail) {
        if (isApi(uri)) {
            return Response.status(status).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(status, title, detail, uri.getPath())).build();
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(status, title, detail)).build();
    }

    static boolean isApi(UriInfo uri) {
        return uri.getPath().startsWith("/api/");
    }

    /** A JSON error that names the field, without Jackson's internals. */
    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + pathOf(unknown) + "'";
        }
        String why = String.valueOf(e.getOriginalMessage());
        if (why.contains("UTF-8") || why.contains("UTF8")) {
            return "the body is not valid UTF-8";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            if (why.contains("NUL character")) {
                return "field '" + pathOf(mapping) + "' must not contain NUL characters";
            }
            return why.contains("out of range")
                    ? "field '" + pathOf(mapping) + "' is out of range"
                    : "field '" + pathOf(mapping) + "' has the wrong type or format";
        }
        java.util.regex.Matcher twice = java.util.regex.Pattern.compile("^Duplicate field '([^']{1,100})'")
                .matcher(why);
        if (twice.find()) {
            return "field '" + twice.group(1) + "' is given twice";
        }
        if (why.startsWith("Trailing token")) {
            return "the body holds more than one JSON value; send one";
        }
        if (e instanceof MismatchedInputException) {
            return "the body must be a JSON object";
        }
        var location = e.getLocation();
        return location == null
                ? "the body is not valid JSON"
                : "the body is not valid JSON (line " + location.getLineNr() + ", column " + location.getColumnNr()
                        + ")";
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
