package dev.ranklab.web;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * Keeps the OpenAPI document to the JSON API (the HTML pages are for browsers, not for clients), and completes what
 * every operation shares ({@link ApiContract}).
 */
public class ApiOnlyFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().keySet().stream()
                .filter(path -> !path.startsWith("/api/"))
                .toList()
                .forEach(openAPI.getPaths()::removePathItem);
        ApiContract.apply(openAPI);
    }
}
