package dev.ranklab.rewardmodel;

/**
 * The training thread was interrupted (the instance is stopping): the training stops between two batches, before it
 * writes anything, and the version is queued again for the next start.
 */
public class TrainingInterrupted extends RuntimeException {

    public TrainingInterrupted() {
        super("the training was interrupted because the instance is stopping");
    }

    /** Throws when the current thread was interrupted; called between batches of encoding and training. */
    static void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new TrainingInterrupted();
        }
    }
}
