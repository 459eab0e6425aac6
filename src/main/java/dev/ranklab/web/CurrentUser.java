package dev.ranklab.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.quarkus.security.identity.SecurityIdentity;

import dev.ranklab.auth.TokenIdentityProvider;
import dev.ranklab.users.Role;

/** The caller of this request, for services and for the page layout ({@code inject:currentUser}). */
@Named("currentUser")
@RequestScoped
public class CurrentUser {

    @Inject
    SecurityIdentity identity;

    public boolean isLoggedIn() {
        return !identity.isAnonymous();
    }

    public String getUsername() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public Long getId() {
        Object id = identity.getAttribute(TokenIdentityProvider.USER_ID);
        return id instanceof Long value ? value : null;
    }

    /** The id of a caller that must be logged in (every secured route). */
    public long requireId() {
        Long id = getId();
        if (id == null) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        return id;
    }

    public boolean isAdmin() {
        return identity.hasRole(Role.ADMIN_NAME);
    }

    public boolean isResearcher() {
        return identity.hasRole(Role.RESEARCHER_NAME);
    }

    public boolean isAnnotator() {
        return identity.hasRole(Role.ANNOTATOR_NAME);
    }

    /** The highest role held, for display. */
    public String getRole() {
        if (isAdmin()) {
            return Role.ADMIN_NAME;
        }
        if (isResearcher()) {
            return Role.RESEARCHER_NAME;
        }
        return isAnnotator() ? Role.ANNOTATOR_NAME : "";
    }
}
