package dev.ranklab.web;

import io.smallrye.config.ConfigMapping;

/** How form tokens are signed (prefix {@code ranklab.csrf}). */
@ConfigMapping(prefix = "ranklab.csrf")
public interface CsrfConfig {

    /**
     * The key that signs form tokens: {@code dev.ranklab.Main} sets it from the instance secret (RANKLAB_SECRET or
     * the data directory's secret.key), so tokens survive restarts and are shared by replicas.
     */
    String signatureKey();
}
