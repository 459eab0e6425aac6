package dev.ranklab.endpoints;

import java.time.OffsetDateTime;

/** An endpoint as answers and pages show it: whether it has an API key, never the key. */
public record EndpointView(long id, String name, String baseUrl, String model, boolean hasApiKey,
        int maxConcurrency, Integer requestsPerMinute, int timeoutSeconds, EndpointInput.Defaults defaults,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    static EndpointView of(ModelEndpoint e) {
        return new EndpointView(e.id, e.name, e.baseUrl, e.model, e.apiKeyEncrypted != null, e.maxConcurrency,
                e.requestsPerMinute, e.timeoutSeconds, new EndpointInput.Defaults(e.temperature, e.topP,
                        e.maxTokens),
                e.createdAt, e.updatedAt);
    }
}
