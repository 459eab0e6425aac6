package dev.ranklab.rewardmodel;

/**
 * DJL's process-wide switches, set before any DJL class looks at them. Offline mode forbids every download (models,
 * native libraries) and, with the opt-out, DJL's telemetry call: Ranklab ships everything it runs.
 */
final class Djl {

    static {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        // PyTorch's own thread pools: the scoring network is tiny, and training must leave cores for annotators.
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    private Djl() {
    }

    /** Touching this class runs the static block above. */
    static void offline() {
        // nothing more to do
    }
}
