package dev.ranklab.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class FingerprintCacheTest {

    @Test
    void computesAgainWhenTheFingerprintChangesAndForgetsTheLeastRecentlyUsed() {
        FingerprintCache<String> cache = new FingerprintCache<>(2);
        AtomicInteger computed = new AtomicInteger();
        assertEquals("a1", cache.get("a", "f1", () -> "a" + computed.incrementAndGet()));
        assertEquals("a1", cache.get("a", "f1", () -> "a" + computed.incrementAndGet()));
        assertEquals(1, computed.get());
        assertEquals("a2", cache.get("a", "f2", () -> "a" + computed.incrementAndGet()));
        assertEquals("b3", cache.get("b", "f", () -> "b" + computed.incrementAndGet()));
        assertEquals("a2", cache.get("a", "f2", () -> "unused"));
        // "b" is now the least recently used of two; a third key pushes it out.
        assertEquals("c4", cache.get("c", "f", () -> "c" + computed.incrementAndGet()));
        assertEquals("b5", cache.get("b", "f", () -> "b" + computed.incrementAndGet()));
        // Bringing "b" back pushed out "a", used before "c".
        assertEquals("c4", cache.get("c", "f", () -> "unused"));
        assertEquals("a6", cache.get("a", "f2", () -> "a" + computed.incrementAndGet()));
    }
}
