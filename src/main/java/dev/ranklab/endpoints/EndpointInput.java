package dev.ranklab.endpoints;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.ranklab.web.ApiPatterns;

/**
 * The body of POST and PATCH /api/v1/model-endpoints, and the add and edit forms. On PATCH an absent field stays as
 * it was; {@code "apiKey": ""} removes the key, {@code "requestsPerMinute": 0} the rate limit, and a default sent as
 * an explicit null (or {@code "defaults": null}) is removed.
 */
public record EndpointInput(
        @Schema(required = true, maxLength = EndpointService.MAX_NAME, pattern = ApiPatterns.TEXT_LINE) String name,
        @Schema(required = true, maxLength = EndpointService.MAX_URL, pattern = ApiPatterns.HTTP_URL, description = "An absolute http(s) URL without user name or password (use apiKey), query or fragment; chat/completions is appended") String baseUrl,
        @Schema(required = true, maxLength = EndpointService.MAX_MODEL, pattern = ApiPatterns.TEXT_LINE) String model,
        @Schema(maxLength = EndpointService.MAX_KEY, pattern = ApiPatterns.NO_CONTROL, description = "Blank: no key") String apiKey,
        @Schema(minimum = "1", maximum = "256") Integer maxConcurrency,
        @Schema(minimum = "1", maximum = "100000", description = "On PATCH, 0 removes the limit") Integer requestsPerMinute,
        @Schema(minimum = "1", maximum = "3600") Integer timeoutSeconds,
        @Schema(description = "On PATCH, null removes all defaults, and a default given as null is removed") Defaults defaults) {

    /** Sampling settings used when a generation or best-of-N request does not set its own. */
    @Schema(name = "EndpointDefaults")
    public record Defaults(@Schema(minimum = "0", maximum = "2") Double temperature,
            @Schema(minimum = "0", exclusiveMinimum = true, maximum = "1") Double topP,
            @Schema(minimum = "1", maximum = "1000000") Integer maxTokens) {
    }

    /** Never the key itself: records print every field, and inputs end up in logs and error reports. */
    @Override
    public String toString() {
        return "EndpointInput[name=" + name + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null ? "null" : "***") + "]";
    }
}
