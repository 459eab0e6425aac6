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
 * ({@code inject:flash}).
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

    private String message;
    private boolean read;

    /** A 303 redirect to {@code location} that shows {@code message} on the next page. */
    public static Response redirect(String location, String message) {
        String text = message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH) : message;
        NewCookie cookie = new NewCookie.Builder(COOKIE)
                .value(URLEncoder.encode(text, StandardCharsets.UTF_8))
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
                message = URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
                if (message.length() > MAX_LENGTH) {
                    message = message.substring(0, MAX_LENGTH);
                }
                response.addCookie(Cookie.cookie(COOKIE, "").setPath("/").setMaxAge(0));
            }
        }
        return message;
    }
}
