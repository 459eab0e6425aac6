package dev.ranklab.generation;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of generation jobs (prefix {@code ranklab.generation}). */
@ConfigMapping(prefix = "ranklab.generation")
public interface GenerationConfig {

    /**
     * Worker threads per instance sending generation requests. Each endpoint's maxConcurrency still caps its own
     * requests across all instances; this only bounds what one instance sends at once over all endpoints.
     */
    @WithDefault("32")
    int workers();

    /** Requests per (item, slot) before the item is marked failed. */
    @WithDefault("5")
    int maxAttempts();

    /** The first retry waits this long, each next one twice as long (a server's Retry-After, if longer, wins). */
    @WithDefault("PT2S")
    Duration retryBase();

    /** The longest wait between two attempts. */
    @WithDefault("PT5M")
    Duration retryMax();
}
