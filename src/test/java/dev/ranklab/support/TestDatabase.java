package dev.ranklab.support;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * The home of the one throwaway PostgreSQL that every {@code @QuarkusTest} in the run shares. Quarkus reads this
 * annotation wherever it stands in the test classes; it stands here rather than on some test.
 */
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
public final class TestDatabase {

    private TestDatabase() {
    }
}
