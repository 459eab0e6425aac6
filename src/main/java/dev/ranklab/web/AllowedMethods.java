package dev.ranklab.web;

import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * OPTIONS answers the methods of the path asked about, from the route table, rather than those of whichever resource
 * class JAX-RS happens to pick for it; a path no route has is 404, as for any other method.
 */
public class AllowedMethods {

    @Inject
    RouteTable routes;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> options(ContainerRequestContext request) {
        if (!"OPTIONS".equals(request.getMethod())) {
            return Optional.empty();
        }
        Set<String> allowed = routes.allowed(request.getUriInfo().getPath());
        if (allowed.isEmpty()) {
            throw new NotFoundException();
        }
        return Optional.of(Response.noContent().header("Allow", RouteTable.header(allowed)).build());
    }
}
