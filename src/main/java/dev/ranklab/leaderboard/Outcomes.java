package dev.ranklab.leaderboard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pairwise outcomes between models in each ranking: for two responses of different models in one ranking, the
 * one in the better tier wins, and two in one tier tie. Responses without a model, and pairs of one model's own
 * responses, say nothing about which model wins and are left out. Kept per ranking, so that the bootstrap can
 * resample rankings (a ranking's comparisons are not independent of each other).
 */
final class Outcomes {

    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> models = new ArrayList<>();
    /** Per ranking: triples (winner or first model, loser or second model, 1 = win, 0 = tie). */
    private final List<int[]> rankings = new ArrayList<>();

    /** Adds one ranking: tiers of response ids best first, and each response's model. */
    void add(List<List<String>> tiers, Map<String, String> modelOf) {
        List<Integer> triples = new ArrayList<>();
        for (int t = 0; t < tiers.size(); t++) {
            for (int a = 0; a < tiers.get(t).size(); a++) {
                String first = modelOf.get(tiers.get(t).get(a));
                // Later responses of the same tier tie with it; those of later tiers lose to it.
                for (int u = t; u < tiers.size(); u++) {
                    for (int b = u == t ? a + 1 : 0; b < tiers.get(u).size(); b++) {
                        String second = modelOf.get(tiers.get(u).get(b));
                        if (first == null || second == null || first.equals(second)) {
                            continue;
                        }
                        triples.add(model(first));
                        triples.add(model(second));
                        triples.add(u == t ? 0 : 1);
                    }
                }
            }
        }
        if (!triples.isEmpty()) {
            rankings.add(triples.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private int model(String name) {
        return index.computeIfAbsent(name, n -> {
            models.add(n);
            return models.size() - 1;
        });
    }

    List<String> models() {
        return models;
    }

    int rankings() {
        return rankings.size();
    }

    /** Counts over the rankings with the given multiplicities (all ones for the data as it is). */
    Tally tally(int[] times) {
        int m = models.size();
        Tally tally = new Tally(new double[m][m], new long[m][m], new long[m][m]);
        for (int r = 0; r < rankings.size(); r++) {
            if (times[r] == 0) {
                continue;
            }
            int[] triples = rankings.get(r);
            for (int k = 0; k < triples.length; k += 3) {
                int i = triples[k];
                int j = triples[k + 1];
                if (triples[k + 2] == 1) {
                    tally.wins[i][j] += times[r];
                    tally.decisive[i][j] += times[r];
                } else {
                    tally.wins[i][j] += 0.5 * times[r];
                    tally.wins[j][i] += 0.5 * times[r];
                    tally.ties[i][j] += times[r];
                    tally.ties[j][i] += times[r];
                }
            }
        }
        return tally;
    }

    int[] once() {
        int[] times = new int[rankings.size()];
        java.util.Arrays.fill(times, 1);
        return times;
    }

    /**
     * Counts between models: {@code wins} with ties as half a win each way (what Bradley–Terry fits),
     * {@code decisive[i][j]} how often i beat j outright, {@code ties[i][j]} how often they tied.
     */
    record Tally(double[][] wins, long[][] decisive, long[][] ties) {
    }
}
