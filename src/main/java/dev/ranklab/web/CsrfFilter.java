package dev.ranklab.web;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a state-changing request that a browser could have sent from another site (a form or plain text body)
 * unless it carries the form token that matches the browser's nonce cookie (see {@link CsrfToken}). JSON and NDJSON
 * bodies need no token: a browser cannot send those cross-site without a CORS preflight, which Ranklab never grants.
 * Requests with an Authorization header need none either: another site cannot make a browser add one.
 * <p>
 * A refused form gets Ranklab's own page saying what happened and leading back to the page it came from.
 */
public class CsrfFilter {

    private static final Logger LOG = Logger.getLogger(CsrfFilter.class);

    /** The title of the refusal, also what tests look for to tell it from other refusals. */
    public static final String TITLE = "This form could not be sent";

    @CheckedTemplate(basePath = "")
    static class Templates {

        static native TemplateInstance formRefused(String back);
    }

    @Inject
    CsrfConfig config;

    @Inject
    CurrentIdentityAssociation identity;

    @ServerRequestFilter
    @WithFormRead
    public Uni<Response> check(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        if (!needsToken(request.getMethod(), request.getMediaType(),
                request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return Uni.createFrom().nullItem();
        }
        String token = null;
        MediaType type = request.getMediaType();
        if (!MediaType.TEXT_PLAIN_TYPE.isCompatible(type)) {
            ResteasyReactiveRequestContext context = (ResteasyReactiveRequestContext) request
                    .getServerRequestContext();
            Object field = context.getFormParameter(CsrfToken.FIELD, true, false);
            token = field == null ? null : field.toString();
        }
        String nonce = CsrfToken.nonceOf(routing);
        if (!CsrfToken.matches(nonce, token, config.signatureKey())) {
            LOG.debugf("Refused %s %s: %s", request.getMethod(), routing.normalizedPath(),
                    nonce == null ? "no valid nonce cookie" : token == null ? "no form token" : "wrong form token");
            // Form routes read the form on the IO thread, where the page's layout cannot resolve who is logged in
            // (that may block): resolve it here without blocking, so that the refusal renders like any page.
            return identity.getDeferredIdentity().map(who -> {
                identity.setIdentity(who);
                return refusal(routing);
            });
        }
        return Uni.createFrom().nullItem();
    }

    /** Whether a request must carry the form token: unsafe, of a type a page on another site can send, no header. */
    static boolean needsToken(String method, MediaType type, String authorization) {
        boolean safe = switch (method) {
            case "GET", "HEAD", "OPTIONS" -> true;
            default -> false;
        };
        if (safe || authorization != null || type == null) {
            return false;
        }
        return sameType(type, MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || sameType(type, MediaType.MULTIPART_FORM_DATA_TYPE) || sameType(type, MediaType.TEXT_PLAIN_TYPE);
    }

    // Not isCompatible: that accepts wildcards, and a body sent as */* must not slip past the check.
    private static boolean sameType(MediaType type, MediaType expected) {
        return type.getType().equalsIgnoreCase(expected.getType())
                && type.getSubtype().equalsIgnoreCase(expected.getSubtype());
    }

    private static Response refusal(RoutingContext routing) {
        String detail = "the request did not carry a valid form token (the page may be from before a logout, or the "
                + "browser did not send Ranklab's cookies); nothing was changed";
        if (routing.normalizedPath().startsWith("/api/")) {
            return Response.status(403).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(403, TITLE, detail, routing.normalizedPath())).build();
        }
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.formRefused(backTo(routing))).build();
    }

    /** The page the form was on, when the browser says and it is one of Ranklab's; the home page otherwise. */
    static String backTo(RoutingContext routing) {
        String referer = routing.request().getHeader("Referer");
        String host = routing.request().authority() == null ? null : routing.request().authority().toString();
        if (referer == null || host == null) {
            return "/";
        }
        try {
            URI uri = URI.create(referer);
            if (!host.equalsIgnoreCase(uri.getRawAuthority()) || uri.getRawPath() == null
                    || !uri.getRawPath().startsWith("/") || uri.getRawPath().startsWith("//")) {
                return "/";
            }
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }
}
