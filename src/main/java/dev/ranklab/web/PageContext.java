package dev.ranklab.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Facts about the current page request for the layout ({@code inject:page}). */
@Named("page")
@RequestScoped
public class PageContext {

    @Inject
    CsrfToken csrf;

    /**
     * Whether forms can be rendered: a page rendered outside an HTTP request (there is none to carry the token's
     * cookie) must leave out forms such as the logout button.
     */
    public boolean isFormReady() {
        try {
            return csrf.getToken() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
