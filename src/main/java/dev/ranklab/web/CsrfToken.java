package dev.ranklab.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

import dev.ranklab.config.RanklabConfig;

/**
 * The form token of the current request ({@code inject:csrf} in templates): a signed double submit. The browser keeps
 * a random nonce in the {@value #COOKIE} cookie; every form carries the nonce's HMAC under the instance secret.
 * <p>
 * The nonce is created once and then only ever re-sent with the same value, so a token stays valid for the whole
 * life of the page that carries it, whatever the page's own scripts, downloads or other tabs request meanwhile. The
 * cookie is only written by answers that render a form token (pages): API answers and downloads never touch it.
 */
@Named("csrf")
@RequestScoped
public class CsrfToken {

    public static final String COOKIE = "ranklab-csrf";
    public static final String FIELD = "csrf-token";

    private static final int NONCE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RoutingContext routing;

    @Inject
    CsrfConfig csrf;

    @Inject
    RanklabConfig config;

    private String token;

    /** The form field's name, for the {@code {#csrf /}} tag. */
    public String getParameterName() {
        return FIELD;
    }

    /**
     * The token for this browser's nonce. Rendering it (re)sends the nonce cookie with its full lifetime, with the
     * same value when the browser already had a valid one, a new one otherwise.
     */
    public String getToken() {
        if (token == null) {
            String nonce = nonceOf(routing);
            if (nonce == null) {
                byte[] bytes = new byte[NONCE_BYTES];
                RANDOM.nextBytes(bytes);
                nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            }
            String value = nonce;
            routing.addHeadersEndHandler(ignored -> routing.response().addCookie(cookie(value)));
            token = sign(nonce, csrf.signatureKey());
        }
        return token;
    }

    private Cookie cookie(String nonce) {
        return Cookie.cookie(COOKIE, nonce)
                .setPath("/")
                .setHttpOnly(true)
                .setSecure(config.session().secureCookie() || routing.request().isSSL())
                .setSameSite(CookieSameSite.LAX)
                .setMaxAge(config.session().lifetime().toSeconds());
    }

    /** The nonce the browser sent, or null when it sent none or one that Ranklab cannot have made. */
    static String nonceOf(RoutingContext routing) {
        Cookie cookie = routing.request().getCookie(COOKIE);
        if (cookie == null) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(cookie.getValue()).length == NONCE_BYTES ? cookie.getValue() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code token} is the one the forms of a page carry for {@code nonce}, compared in constant time. */
    static boolean matches(String nonce, String token, String key) {
        return nonce != null && token != null && MessageDigest.isEqual(
                sign(nonce, key).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
    }

    static String sign(String nonce, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal(("ranklab-form:" + nonce).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
