package dev.ranklab.leaderboard;

/**
 * Bradley–Terry strengths by maximum likelihood: P(i beats j) = π_i / (π_i + π_j), a tie counting as half a win for
 * each side. Every model also gets one virtual tie against a reference of strength 1, so that a model that won (or
 * lost) every comparison keeps a finite strength; with more than a handful of real comparisons its pull is
 * negligible. Solved by Hunter's MM iteration (2004), which increases the likelihood at every step.
 * <p>
 * Strengths are reported on an Elo-like scale: 1000 is the geometric mean of the models, and 400 points are a
 * factor of 10 in the odds of winning (so +200 wins about 76% of comparisons).
 */
public final class BradleyTerry {

    /** The weight of the virtual tie against the reference, split into half a win and half a loss. */
    static final double PRIOR = 1.0;
    static final double CENTER = 1000;
    static final double SCALE = 400 / Math.log(10);
    private static final int MAX_ITERATIONS = 10_000;
    private static final double TOLERANCE = 1e-10;

    private BradleyTerry() {
    }

    /**
     * The ratings of {@code wins.length} models, where {@code wins[i][j]} is how often i beat j, ties counted as
     * half a win each way.
     */
    public static double[] ratings(double[][] wins) {
        int m = wins.length;
        double[] strength = new double[m];
        java.util.Arrays.fill(strength, 1.0);
        double[] totalWins = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                totalWins[i] += wins[i][j];
            }
            totalWins[i] += PRIOR / 2;
        }
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double change = 0;
            double[] next = new double[m];
            for (int i = 0; i < m; i++) {
                double denominator = PRIOR / (strength[i] + 1);
                for (int j = 0; j < m; j++) {
                    double games = wins[i][j] + wins[j][i];
                    if (j != i && games > 0) {
                        denominator += games / (strength[i] + strength[j]);
                    }
                }
                next[i] = totalWins[i] / denominator;
                change = Math.max(change, Math.abs(Math.log(next[i] / strength[i])));
            }
            strength = next;
            if (change < TOLERANCE) {
                break;
            }
        }
        double meanLog = 0;
        for (double s : strength) {
            meanLog += Math.log(s) / m;
        }
        double[] ratings = new double[m];
        for (int i = 0; i < m; i++) {
            ratings[i] = CENTER + SCALE * (Math.log(strength[i]) - meanLog);
        }
        return ratings;
    }
}
