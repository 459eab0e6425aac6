package dev.ranklab.web;

import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A strict Content-Security-Policy on every page: scripts and styles only from Ranklab itself, never inline, so
 * that text which slipped past escaping still could not run. The pages keep no inline script or style for that
 * reason (data reaches scripts through data- attributes).
 */
public class ContentSecurityPolicy {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /** On every answer of Ranklab's own resources; harmless on JSON, and a page's type is not always known yet. */
    @ServerResponseFilter
    public void addPolicy(ContainerResponseContext response) {
        response.getHeaders().putSingle("Content-Security-Policy", POLICY);
    }
}
