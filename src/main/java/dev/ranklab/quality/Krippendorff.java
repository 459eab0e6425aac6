package dev.ranklab.quality;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Krippendorff's α for reliability data: units, each with the values some coders gave it (missing values allowed).
 * α = 1 − D_o / D_e, from the coincidence matrix of pairable values, as in Krippendorff (2011), "Computing
 * Krippendorff's Alpha-Reliability".
 */
public final class Krippendorff {

    /** How far apart two values are. */
    public enum Metric {
        NOMINAL, ORDINAL, INTERVAL
    }

    private Krippendorff() {
    }

    /**
     * @param units each unit's values (one per coder who coded it); units with fewer than two values are not
     *            pairable and are ignored
     * @return α, or NaN when there is nothing to compare or no variation at all
     */
    public static double alpha(List<List<Integer>> units, Metric metric) {
        TreeMap<Integer, Map<Integer, Double>> coincidences = new TreeMap<>();
        for (List<Integer> values : units) {
            int m = values.size();
            if (m < 2) {
                continue;
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    if (i != j) {
                        coincidences.computeIfAbsent(values.get(i), v -> new TreeMap<>())
                                .merge(values.get(j), 1.0 / (m - 1), Double::sum);
                    }
                }
            }
        }
        TreeMap<Integer, Double> marginals = new TreeMap<>();
        coincidences.forEach((c, row) -> marginals.put(c, row.values().stream().mapToDouble(Double::doubleValue)
                .sum()));
        double n = marginals.values().stream().mapToDouble(Double::doubleValue).sum();
        if (n <= 1) {
            return Double.NaN;
        }
        double observed = 0;
        for (var row : coincidences.entrySet()) {
            for (var cell : row.getValue().entrySet()) {
                observed += cell.getValue() * distance(row.getKey(), cell.getKey(), marginals, metric);
            }
        }
        double expected = 0;
        for (var c : marginals.entrySet()) {
            for (var k : marginals.entrySet()) {
                expected += c.getValue() * k.getValue() * distance(c.getKey(), k.getKey(), marginals, metric);
            }
        }
        expected /= n - 1;
        if (expected == 0) {
            return Double.NaN;
        }
        return 1 - observed / expected;
    }

    /** δ²(c, k) for the metric; the ordinal one weighs the gap by how many values lie between c and k. */
    static double distance(int c, int k, TreeMap<Integer, Double> marginals, Metric metric) {
        if (c == k) {
            return 0;
        }
        return switch (metric) {
            case NOMINAL -> 1;
            case INTERVAL -> (double) (c - k) * (c - k);
            case ORDINAL -> {
                int low = Math.min(c, k);
                int high = Math.max(c, k);
                double between = marginals.subMap(low, true, high, true).values().stream()
                        .mapToDouble(Double::doubleValue).sum();
                double gap = between - (marginals.get(low) + marginals.get(high)) / 2;
                yield gap * gap;
            }
        };
    }
}
