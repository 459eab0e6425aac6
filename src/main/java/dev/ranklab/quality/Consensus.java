package dev.ranklab.quality;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Merges several annotators' rankings of one item into one, by ranked pairs (Tideman), as OpenAssistant does:
 * pairwise majorities are locked in from the strongest down, skipping any that would close a cycle, so the result
 * never contradicts itself even when the annotators' preferences do. Responses that no locked majority separates
 * share a tier: an even split is a tie, not a coin toss.
 */
public final class Consensus {

    /** The merged ranking, and the share of annotator judgments on response pairs that agree with it. */
    @Schema(name = "Consensus")
    public record Result(List<List<String>> tiers, double agreement, int rankings) {
    }

    private Consensus() {
    }

    /**
     * @param responseIds every response of the item
     * @param rankings each annotator's tiers, best first
     */
    public static Result merge(List<String> responseIds, List<List<List<String>>> rankings) {
        // Responses by their index in id order, so that the graph work below is on arrays, not maps of strings:
        // this runs once per item for every agreement report and consensus export.
        List<String> ids = responseIds.stream().sorted().toList();
        int n = ids.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(ids.get(i), i);
        }
        int[][] tierMaps = new int[rankings.size()][];
        for (int r = 0; r < rankings.size(); r++) {
            tierMaps[r] = tierOf(rankings.get(r), index, n);
        }
        int[] consensus = rankedPairs(n, tierMaps);
        List<List<String>> tiers = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            while (tiers.size() <= consensus[id]) {
                tiers.add(new ArrayList<>());
            }
            tiers.get(consensus[id]).add(ids.get(id));
        }
        return new Result(tiers.stream().map(List::copyOf).toList(), agreement(consensus, tierMaps),
                rankings.size());
    }

    /**
     * The merge on rankings given as each response's tier by index (-1 where a ranking leaves it out), all of the
     * same responses in the same order, ids ascending: the consensus tier of each response.
     */
    public static int[] rankedPairs(int[][] rankings) {
        return rankedPairs(rankings.length == 0 ? 0 : rankings[0].length, rankings);
    }

    private static int[] rankedPairs(int n, int[][] rankings) {
        int[][] wins = new int[n][n];
        for (int[] tierOf : rankings) {
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (tierOf[a] >= 0 && tierOf[b] >= 0 && tierOf[a] < tierOf[b]) {
                        wins[a][b]++;
                    }
                }
            }
        }
        record Majority(int winner, int loser, int margin, int votes) {
        }
        List<Majority> majorities = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (wins[a][b] > wins[b][a]) {
                    majorities.add(new Majority(a, b, wins[a][b] - wins[b][a], wins[a][b]));
                }
            }
        }
        // Strongest first; ids (their order is the indices' order) break exact ties, so the same input always gives
        // the same result.
        majorities.sort(Comparator.comparingInt(Majority::margin).reversed()
                .thenComparing(Comparator.comparingInt(Majority::votes).reversed())
                .thenComparingInt(Majority::winner).thenComparingInt(Majority::loser));
        boolean[][] beats = new boolean[n][n];
        for (Majority majority : majorities) {
            if (!reaches(beats, majority.loser(), majority.winner())) {
                beats[majority.winner()][majority.loser()] = true;
            }
        }
        return layers(beats);
    }

    /** Each response's tier in one ranking, by index; -1 where the ranking leaves it out. */
    private static int[] tierOf(List<List<String>> ranking, Map<String, Integer> index, int n) {
        int[] tierOf = new int[n];
        Arrays.fill(tierOf, -1);
        for (int t = 0; t < ranking.size(); t++) {
            for (String id : ranking.get(t)) {
                Integer i = index.get(id);
                if (i != null) {
                    tierOf[i] = t;
                }
            }
        }
        return tierOf;
    }

    private static boolean reaches(boolean[][] beats, int from, int to) {
        Deque<Integer> pending = new ArrayDeque<>(List.of(from));
        boolean[] seen = new boolean[beats.length];
        while (!pending.isEmpty()) {
            int node = pending.pop();
            if (node == to) {
                return true;
            }
            if (!seen[node]) {
                seen[node] = true;
                for (int next = 0; next < beats.length; next++) {
                    if (beats[node][next]) {
                        pending.push(next);
                    }
                }
            }
        }
        return false;
    }

    /** Tiers of the locked graph, by response: each tier holds the responses that nothing left unplaced beats. */
    private static int[] layers(boolean[][] beats) {
        int n = beats.length;
        int[] tierOf = new int[n];
        boolean[] placed = new boolean[n];
        int left = n;
        for (int tier = 0; left > 0; tier++) {
            List<Integer> layer = new ArrayList<>();
            for (int id = 0; id < n; id++) {
                if (!placed[id] && !beatenByUnplaced(beats, placed, id)) {
                    layer.add(id);
                }
            }
            for (int id : layer) {
                placed[id] = true;
                tierOf[id] = tier;
            }
            left -= layer.size();
        }
        return tierOf;
    }

    private static boolean beatenByUnplaced(boolean[][] beats, boolean[] placed, int id) {
        for (int other = 0; other < beats.length; other++) {
            if (!placed[other] && beats[other][id]) {
                return true;
            }
        }
        return false;
    }

    /** The share of (annotator, response pair) judgments — better, worse or tied — that the consensus shares. */
    private static double agreement(int[] consensus, int[][] rankings) {
        int judgments = 0;
        int agreeing = 0;
        for (int[] ranking : rankings) {
            for (int i = 0; i < consensus.length; i++) {
                for (int j = i + 1; j < consensus.length; j++) {
                    if (ranking[i] < 0 || ranking[j] < 0) {
                        continue;
                    }
                    judgments++;
                    if (Integer.signum(ranking[i] - ranking[j]) == Integer.signum(consensus[i] - consensus[j])) {
                        agreeing++;
                    }
                }
            }
        }
        return judgments == 0 ? 1.0 : (double) agreeing / judgments;
    }
}
