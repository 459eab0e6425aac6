package dev.ranklab.rewardmodel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mean over pairs with a 95% interval that treats prompt groups, not pairs, as the independent draws: the
 * cluster-robust standard error √(Σ_g (Σ_{i∈g} (x_i − x̄))²) / n. Pairs of one prompt share its difficulty (PandaLM
 * has up to 30 pairs per instruction), so the naive √(p(1 − p)/n) would claim far more certainty than the data has.
 *
 * @param halfWidth 1.96 standard errors
 */
record ClusteredMean(double mean, double halfWidth, int values, int groups) {

    static ClusteredMean of(List<Double> values, List<String> groups) {
        int n = values.size();
        if (n == 0) {
            return new ClusteredMean(Double.NaN, Double.NaN, 0, 0);
        }
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        double mean = sum / n;
        Map<String, Double> residuals = new HashMap<>();
        for (int i = 0; i < n; i++) {
            residuals.merge(groups.get(i), values.get(i) - mean, Double::sum);
        }
        double squares = 0;
        for (double residual : residuals.values()) {
            squares += residual * residual;
        }
        return new ClusteredMean(mean, 1.96 * Math.sqrt(squares) / n, n, residuals.size());
    }

    double low() {
        return mean - halfWidth;
    }

    double high() {
        return mean + halfWidth;
    }
}
