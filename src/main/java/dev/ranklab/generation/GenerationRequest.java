package dev.ranklab.generation;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of POST /api/v1/campaigns/{id}/generations: which endpoints fill how many of each item's K slots (in
 * order: the first source's samples are r1, r2, …), and optional sampling settings over the endpoints' defaults.
 */
public record GenerationRequest(
        @Schema(required = true, minItems = 1, description = "The samples must add up to the campaign's K") List<Source> sources,
        @Schema(minimum = "0", maximum = "2") Double temperature,
        @Schema(minimum = "1", maximum = "1000000") Integer maxTokens, Long seed) {

    /** {@code samples} responses per item from one endpoint. */
    @Schema(name = "GenerationSource")
    public record Source(@Schema(required = true) Long endpointId,
            @Schema(required = true, minimum = "1", maximum = "9") Integer samples) {
    }
}
