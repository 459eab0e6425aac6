package dev.ranklab.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConsensusTest {

    private static final List<String> ABC = List.of("a", "b", "c");

    private static List<List<String>> strict(String... order) {
        return java.util.Arrays.stream(order).map(List::of).toList();
    }

    @Test
    void unanimousRankingsAreTheConsensus() {
        Consensus.Result result = Consensus.merge(ABC, List.of(strict("b", "a", "c"), strict("b", "a", "c")));
        assertEquals(strict("b", "a", "c"), result.tiers());
        assertEquals(1.0, result.agreement());
        assertEquals(2, result.rankings());
    }

    @Test
    void theMajorityWinsEachPair() {
        Consensus.Result result = Consensus.merge(ABC,
                List.of(strict("a", "b", "c"), strict("a", "b", "c"), strict("c", "b", "a")));
        assertEquals(strict("a", "b", "c"), result.tiers());
        // 9 pairwise judgments; the dissenter disagrees on all 3 of its pairs
        assertEquals(6.0 / 9, result.agreement(), 1e-9);
    }

    @Test
    void aCondorcetCycleIsBrokenAtItsWeakestLinkWithoutContradiction() {
        // a>b>c, b>c>a, c>a>b: every pair has a 2-1 majority, together a cycle a>b>c>a.
        Consensus.Result result = Consensus.merge(ABC,
                List.of(strict("a", "b", "c"), strict("b", "c", "a"), strict("c", "a", "b")));
        // All margins equal; locked in id order: a>b, then b>c; c>a would close the cycle and is skipped.
        assertEquals(strict("a", "b", "c"), result.tiers());
        assertEquals(Consensus.merge(ABC, List.of(strict("c", "a", "b"), strict("a", "b", "c"),
                strict("b", "c", "a"))).tiers(), result.tiers(), "the order of the rankings does not matter");
    }

    @Test
    void anEvenSplitIsATie() {
        Consensus.Result result = Consensus.merge(List.of("a", "b"), List.of(strict("a", "b"), strict("b", "a")));
        assertEquals(List.of(List.of("a", "b")), result.tiers());
        assertEquals(0.0, result.agreement());
    }

    @Test
    void tiesInTheInputCountAsNoPreference() {
        Consensus.Result result = Consensus.merge(ABC,
                List.of(List.of(List.of("a", "b"), List.of("c")), List.of(List.of("a"), List.of("b", "c"))));
        // a>c twice, a>b once, b>c once, nothing against: a first, then b, then c
        assertEquals(strict("a", "b", "c"), result.tiers());
        assertEquals(4.0 / 6, result.agreement(), 1e-9);
    }

    @Test
    void aSingleRankingIsItsOwnConsensus() {
        List<List<String>> tied = List.of(List.of("c"), List.of("a", "b"));
        assertEquals(tied, Consensus.merge(ABC, List.of(tied)).tiers());
    }
}
