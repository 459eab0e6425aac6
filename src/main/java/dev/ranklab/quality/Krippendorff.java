package dev.ranklab.quality;

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
     * The coincidence matrix, filled one unit at a time so that units need not be held; values are small
     * non-negative integers (tiers, ratings) and index the matrix directly.
     */
    public static final class Coincidences {

        private double[][] matrix = new double[0][0];

        /** Adds a unit: the first {@code count} of {@code values}. */
        public void addUnit(int[] values, int count) {
            if (count < 2) {
                return;
            }
            for (int i = 0; i < count; i++) {
                if (values[i] < 0) {
                    throw new IllegalArgumentException("values must not be negative: " + values[i]);
                }
                grow(values[i]);
            }
            double weight = 1.0 / (count - 1);
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < count; j++) {
                    if (i != j) {
                        matrix[values[i]][values[j]] += weight;
                    }
                }
            }
        }

        private void grow(int value) {
            if (value < matrix.length) {
                return;
            }
            double[][] larger = new double[value + 1][value + 1];
            for (int c = 0; c < matrix.length; c++) {
                System.arraycopy(matrix[c], 0, larger[c], 0, matrix.length);
            }
            matrix = larger;
        }

        /** α = 1 − D_o / D_e over the units added so far; NaN when there is nothing to compare or no variation. */
        public double alpha(Metric metric) {
            int size = matrix.length;
            double[] marginals = new double[size];
            double n = 0;
            for (int c = 0; c < size; c++) {
                for (int k = 0; k < size; k++) {
                    marginals[c] += matrix[c][k];
                }
                n += marginals[c];
            }
            if (n <= 1) {
                return Double.NaN;
            }
            double observed = 0;
            double expected = 0;
            for (int c = 0; c < size; c++) {
                for (int k = 0; k < size; k++) {
                    double distance = distance(c, k, marginals, metric);
                    observed += matrix[c][k] * distance;
                    expected += marginals[c] * marginals[k] * distance;
                }
            }
            expected /= n - 1;
            if (expected == 0) {
                return Double.NaN;
            }
            return 1 - observed / expected;
        }
    }

    /**
     * δ²(c, k) for the metric; the ordinal one weighs the gap by how many values lie between c and k (values nobody
     * gave count for nothing).
     */
    static double distance(int c, int k, double[] marginals, Metric metric) {
        if (c == k) {
            return 0;
        }
        return switch (metric) {
            case NOMINAL -> 1;
            case INTERVAL -> (double) (c - k) * (c - k);
            case ORDINAL -> {
                int low = Math.min(c, k);
                int high = Math.max(c, k);
                double between = 0;
                for (int v = low; v <= high; v++) {
                    between += marginals[v];
                }
                double gap = between - (marginals[low] + marginals[high]) / 2;
                yield gap * gap;
            }
        };
    }
}
