package dev.ranklab.rewardmodel;

import java.util.List;

/** Temperature scaling for pairwise preferences: P(w ≻ l) = σ((r_w − r_l) / T). */
public final class Calibration {

    private Calibration() {
    }

    /** Mean −log σ(d / T) over the differences d = r_w − r_l. */
    public static double logLoss(List<Float> differences, double temperature) {
        double total = 0;
        for (float d : differences) {
            total += softplus(-d / temperature);
        }
        return differences.isEmpty() ? 0 : total / differences.size();
    }

    static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    /** Golden-section search over log T in [e^-4, e^4]; the log loss is unimodal in T for fixed differences. */
    public static float fitTemperature(List<Float> differences) {
        if (differences.isEmpty()) {
            return 1f;
        }
        double lo = -4;
        double hi = 4;
        double ratio = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 60; i++) {
            double a = hi - ratio * (hi - lo);
            double b = lo + ratio * (hi - lo);
            if (logLoss(differences, Math.exp(a)) < logLoss(differences, Math.exp(b))) {
                hi = b;
            } else {
                lo = a;
            }
        }
        return (float) Math.exp((lo + hi) / 2);
    }
}
