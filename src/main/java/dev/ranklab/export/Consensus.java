package dev.ranklab.export;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges several annotators' rankings of one item into one, by ranked pairs (Tideman), as OpenAssistant does:
 * pairwise majorities are locked in from the strongest down, skipping any that would close a cycle, so the result
 * never contradicts itself even when the annotators' preferences do. Responses that no locked majority separates
 * share a tier: an even split is a tie, not a coin toss.
 */
public final class Consensus {

    /** The merged ranking, and the share of annotator judgments on response pairs that agree with it. */
    public record Result(List<List<String>> tiers, double agreement, int rankings) {
    }

    private Consensus() {
    }

    /**
     * @param responseIds every response of the item
     * @param rankings each annotator's tiers, best first
     */
    public static Result merge(List<String> responseIds, List<List<List<String>>> rankings) {
        List<String> ids = responseIds.stream().sorted().toList();
        Map<String, Map<String, Integer>> wins = new HashMap<>();
        List<Map<String, Integer>> tierMaps = new ArrayList<>();
        for (List<List<String>> ranking : rankings) {
            Map<String, Integer> tierOf = tierOf(ranking);
            tierMaps.add(tierOf);
            for (String a : ids) {
                for (String b : ids) {
                    if (tierOf.containsKey(a) && tierOf.containsKey(b) && tierOf.get(a) < tierOf.get(b)) {
                        wins.computeIfAbsent(a, k -> new HashMap<>()).merge(b, 1, Integer::sum);
                    }
                }
            }
        }
        record Majority(String winner, String loser, int margin, int votes) {
        }
        List<Majority> majorities = new ArrayList<>();
        for (String a : ids) {
            for (String b : ids) {
                int forA = count(wins, a, b);
                int forB = count(wins, b, a);
                if (forA > forB) {
                    majorities.add(new Majority(a, b, forA - forB, forA));
                }
            }
        }
        // Strongest first; ids break exact ties, so the same input always gives the same result.
        majorities.sort(Comparator.comparingInt(Majority::margin).reversed()
                .thenComparing(Comparator.comparingInt(Majority::votes).reversed())
                .thenComparing(Majority::winner).thenComparing(Majority::loser));
        Map<String, Set<String>> beats = new HashMap<>();
        ids.forEach(id -> beats.put(id, new HashSet<>()));
        for (Majority majority : majorities) {
            if (!reaches(beats, majority.loser(), majority.winner())) {
                beats.get(majority.winner()).add(majority.loser());
            }
        }
        List<List<String>> tiers = layers(ids, beats);
        return new Result(tiers, agreement(ids, tierOf(tiers), tierMaps), rankings.size());
    }

    private static int count(Map<String, Map<String, Integer>> wins, String a, String b) {
        return wins.getOrDefault(a, Map.of()).getOrDefault(b, 0);
    }

    private static boolean reaches(Map<String, Set<String>> beats, String from, String to) {
        Deque<String> pending = new ArrayDeque<>(List.of(from));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            String node = pending.pop();
            if (node.equals(to)) {
                return true;
            }
            if (seen.add(node)) {
                pending.addAll(beats.get(node));
            }
        }
        return false;
    }

    /** Tiers of the locked graph: each tier holds the responses that nothing left unplaced beats. */
    private static List<List<String>> layers(List<String> ids, Map<String, Set<String>> beats) {
        List<List<String>> tiers = new ArrayList<>();
        Set<String> left = new HashSet<>(ids);
        while (!left.isEmpty()) {
            List<String> tier = ids.stream().filter(left::contains)
                    .filter(id -> left.stream().noneMatch(other -> beats.get(other).contains(id)))
                    .toList();
            tiers.add(tier);
            left.removeAll(tier);
        }
        return tiers;
    }

    private static Map<String, Integer> tierOf(List<List<String>> tiers) {
        Map<String, Integer> tierOf = new HashMap<>();
        for (int t = 0; t < tiers.size(); t++) {
            for (String id : tiers.get(t)) {
                tierOf.put(id, t);
            }
        }
        return tierOf;
    }

    /** The share of (annotator, response pair) judgments — better, worse or tied — that the consensus shares. */
    private static double agreement(List<String> ids, Map<String, Integer> consensus,
            List<Map<String, Integer>> rankings) {
        int judgments = 0;
        int agreeing = 0;
        for (Map<String, Integer> ranking : rankings) {
            for (int i = 0; i < ids.size(); i++) {
                for (int j = i + 1; j < ids.size(); j++) {
                    String a = ids.get(i);
                    String b = ids.get(j);
                    if (!ranking.containsKey(a) || !ranking.containsKey(b)) {
                        continue;
                    }
                    judgments++;
                    if (Integer.signum(ranking.get(a) - ranking.get(b)) == Integer.signum(
                            consensus.get(a) - consensus.get(b))) {
                        agreeing++;
                    }
                }
            }
        }
        return judgments == 0 ? 1.0 : (double) agreeing / judgments;
    }
}
