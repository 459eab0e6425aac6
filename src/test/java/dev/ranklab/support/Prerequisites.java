package dev.ranklab.support;

import org.junit.jupiter.api.Assumptions;

/**
 * The one place a test may skip for want of something installed on the machine (Chromium, PostgreSQL 15's tools).
 * With RANKLAB_REQUIRE_ALL set, as CI sets it, a missing prerequisite fails the test instead, so nothing can pass
 * there by skipping. docs/reliability.md lists every test that comes here.
 */
public final class Prerequisites {

    public static final String REQUIRE_ALL = "RANKLAB_REQUIRE_ALL";

    private Prerequisites() {
    }

    /** Skips the calling test when what it needs is missing, or fails it when RANKLAB_REQUIRE_ALL is set. */
    public static void require(boolean installed, String what) {
        if (System.getenv(REQUIRE_ALL) == null) {
            Assumptions.assumeTrue(installed, what + " not installed");
        } else if (!installed) {
            throw new IllegalStateException(REQUIRE_ALL + " is set but " + what + " is missing");
        }
    }
}
