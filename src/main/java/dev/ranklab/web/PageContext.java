package dev.ranklab.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.quarkus.csrf.reactive.runtime.CsrfTokenParameterProvider;

/** Facts about the current page request for the layout ({@code inject:page}). */
@Named("page")
@RequestScoped
public class PageContext {

    @Inject
    CsrfTokenParameterProvider csrf;

    /**
     * Whether forms can be rendered: an error page for a request refused before the CSRF filter ran has no token,
     * so it must leave out forms such as the logout button.
     */
    public boolean isFormReady() {
        try {
            return csrf.getToken() != null;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
