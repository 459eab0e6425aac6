package dev.ranklab.web;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** The front door: logged-in users go to their campaigns, everyone else to the login page. */
@Path("/")
@PermitAll
public class HomePage {

    @Inject
    CurrentUser currentUser;

    @GET
    public Response home() {
        return Response.seeOther(URI.create(currentUser.isLoggedIn() ? "/campaigns" : "/login")).build();
    }
}
