package dev.ranklab.rewardmodel;

import java.util.Locale;

/**
 * What a training may hold on the Java heap at once, so that a training in the web process can never starve the
 * requests beside it of memory. The bulk of what it holds is one embedding per prompt and per response; the texts
 * are held a chunk at a time ({@link TrainingData#CHUNK}), and the network's tensors live off the heap, in PyTorch.
 *
 * @param bytes the budget
 */
public record MemoryBudget(long bytes) {

    /** A float[384] with its array header and the reference to it. */
    static final long VECTOR_BYTES = SentenceEncoder.DIMENSIONS * 4L + 24;
    /** Per response besides its vector: length, words, tier and rating entries, the pair list while batching. */
    static final long RESPONSE_BYTES = VECTOR_BYTES + 4 * 4 + 96;
    /** Per ranking besides its responses: the prompt's vector, the example record, its group key. */
    static final long RANKING_BYTES = VECTOR_BYTES + 160;
    /** A chunk of parsed rows with their texts, generously: 8 KB of text per ranking. */
    static final long CHUNK_BYTES = TrainingData.CHUNK * 8L * 1024;

    /** A quarter of the maximum heap: the rest stays with requests, exports and the cache. */
    public static MemoryBudget ofHeap(Runtime runtime) {
        return new MemoryBudget(runtime.maxMemory() / 4);
    }

    /** What holding this many rankings and responses costs. */
    static long estimate(long rankings, long responses) {
        return rankings * RANKING_BYTES + responses * RESPONSE_BYTES + CHUNK_BYTES;
    }

    /** The share of rankings that fits (1 when all do), never less than a hundredth. */
    double share(long rankings, long responses) {
        long needed = estimate(rankings, responses);
        if (needed <= bytes) {
            return 1;
        }
        return Math.max(0.01, (double) (bytes - CHUNK_BYTES) / (needed - CHUNK_BYTES));
    }

    /** The budget in words, e.g. "128 MB". */
    String shown() {
        return String.format(Locale.ROOT, "%d MB", bytes / (1024 * 1024));
    }
}
