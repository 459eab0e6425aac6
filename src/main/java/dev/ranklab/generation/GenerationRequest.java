package dev.ranklab.generation;

import java.util.List;

/**
 * The body of POST /api/v1/campaigns/{id}/generations: which endpoints fill how many of each item's K slots (in
 * order: the first source's samples are r1, r2, …), and optional sampling settings over the endpoints' defaults.
 */
public record GenerationRequest(List<Source> sources, Double temperature, Integer maxTokens, Long seed) {

    /** {@code samples} responses per item from one endpoint. */
    public record Source(Long endpointId, Integer samples) {
    }
}
