package dev.ranklab.web;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A one-time message carried across a POST-redirect-GET in a short-lived cookie and shown by the layout
 * ({@code inject:flash}): a success, a warning (done, with a catch) or an error (nothing done), each styled as such.
 */
@Named("flash")
@RequestScoped
public class Flash {

    static final String COOKIE = "ranklab_flash";
    private static final int MAX_LENGTH = 300;

    @Inject
    HttpServerRequest request;

    @Inject
    HttpServerResponse response;

    /** How a message reads: its kind is its style, and an error is announced at once to screen readers. */
    public enum Kind {
        SUCCESS, WARNING, ERROR
    }

    private String message;
    private Kind kind = Kind.SUCCESS;
    private boolean read;

    /** A 303 redirect to {@code location} that shows {@code message} as a success on the next page. */
    public static Response redirect(String location, String message) {
        return redirect(location, Kind.SUCCESS, message);
    }

    /** A 303 redirect to {@code location} that shows {@code message} as an error: what was refused and why. */
    public static Response error(String location, String message) {
        return redirect(location, Kind.ERROR, message);
    }

    /** A 303 redirect to {@code location} that shows {@code message} as a warning: done, but not all of it. */
    public static Response warning(String location, String message) {
        return redirect(location, Kind.WARNING, message);
    }

    private static Response redirect(String location, Kind kind, String message) {
        String text = message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH) : message;
        NewCookie cookie = new NewCookie.Builder(COOKIE)
                .value(kind.ordinal() + URLEncoder.encode(text, StandardCharsets.UTF_8))
                .path("/")
                .maxAge(60)
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX)
                .build();
        return Response.seeOther(URI.create(location)).cookie(cookie).build();
    }

    /** The message, read once: the cookie is cleared in the same response. */
    public String getMessage() {
        if (!read) {
            read = true;
            Cookie cookie = request.getCookie(COOKIE);
            if (cookie != null && !cookie.getValue().isBlank()) {
                String value = cookie.getValue();
                int ordinal = value.charAt(0) - '0';
                if (ordinal >= 0 && ordinal < Kind.values().length) {
                    kind = Kind.values()[ordinal];
                    value = value.substring(1);
                }
                message = URLDecoder.decode(value, StandardCharsets.UTF_8);
                if (message.length() > MAX_LENGTH) {
                    message = message.substring(0, MAX_LENGTH);
                }
                response.addCookie(Cookie.cookie(COOKIE, "").setPath("/").setMaxAge(0));
            }
        }
        return message;
    }

    /** The message's kind in lower case, for its style ({@code flash-error} …). */
    public String getKind() {
        getMessage();
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the message reports a refusal: it is then announced as an alert. */
    public boolean isError() {
        getMessage();
        return kind == Kind.ERROR;
    }
}
