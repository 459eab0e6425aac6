package dev.ranklab.web;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** The front door: annotators go to their workspace, researchers and admins to the campaigns. */
@Path("/")
@PermitAll
public class HomePage {

    @Inject
    CurrentUser currentUser;

    @GET
    public Response home() {
        if (!currentUser.isLoggedIn()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        // Annotators start where they work; researchers and admins where they manage.
        return Response.seeOther(URI.create(currentUser.isResearcher() ? "/campaigns" : "/annotate")).build();
    }
}
