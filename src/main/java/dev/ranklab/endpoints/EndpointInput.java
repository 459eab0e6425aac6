package dev.ranklab.endpoints;

/**
 * The body of POST and PATCH /api/v1/model-endpoints, and the add form. On PATCH an absent (null) field stays as it
 * was; {@code "apiKey": ""} removes the key and {@code "requestsPerMinute": 0} removes the rate limit.
 */
public record EndpointInput(String name, String baseUrl, String model, String apiKey, Integer maxConcurrency,
        Integer requestsPerMinute, Integer timeoutSeconds, Defaults defaults) {

    /** Sampling settings used when a generation or best-of-N request does not set its own. */
    public record Defaults(Double temperature, Double topP, Integer maxTokens) {
    }

    /** Never the key itself: records print every field, and inputs end up in logs and error reports. */
    @Override
    public String toString() {
        return "EndpointInput[name=" + name + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null ? "null" : "***") + "]";
    }
}
