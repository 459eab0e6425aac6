package dev.ranklab.quality;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Remembers computed values with the fingerprint of the data they came from, and gives one back only while the data
 * still has that fingerprint. Holds at most {@code capacity} values, dropping the least recently used.
 */
final class FingerprintCache<K> {

    private record Entry(String fingerprint, Object value) {
    }

    private final Map<K, Entry> entries;

    FingerprintCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value for the key if it was computed from data with this fingerprint; otherwise computes and keeps it. */
    @SuppressWarnings("unchecked")
    <V> V get(K key, String fingerprint, Supplier<V> compute) {
        synchronized (entries) {
            Entry entry = entries.get(key);
            if (entry != null && entry.fingerprint().equals(fingerprint)) {
                return (V) entry.value();
            }
        }
        // Computed outside the lock: other campaigns' answers do not wait for this one.
        V value = compute.get();
        synchronized (entries) {
            entries.put(key, new Entry(fingerprint, value));
        }
        return value;
    }
}
