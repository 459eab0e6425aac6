package dev.ranklab.export;

/**
 * What an export with the builder's options holds: rankings (or, with a consensus, items merged into one ranking
 * each), the pairs they give, the skipped and unrankable tasks a rankings export lists, and demonstrations.
 */
public record MatchCounts(long rankings, long pairs, long skipped, long demonstrations, boolean consensus) {
}
