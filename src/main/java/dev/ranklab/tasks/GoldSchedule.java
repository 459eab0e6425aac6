package dev.ranklab.tasks;

/**
 * When an annotator's next task is a gold item: the first {@code firstTasks} always, then each later task with
 * probability {@code percent}/100. The draw is a hash of (campaign, annotator, task number) rather than a random
 * number, so it is reproducible and testable, yet gold does not come at positions an annotator could learn.
 */
public final class GoldSchedule {

    private GoldSchedule() {
    }

    /** @param handed how many tasks the annotator has already been given in this campaign */
    public static boolean nextIsGold(long campaignId, long annotatorId, long handed, int firstTasks, int percent) {
        if (handed < firstTasks) {
            return true;
        }
        if (percent <= 0) {
            return false;
        }
        return Math.floorMod(mix(mix(campaignId * 0x9E3779B97F4A7C15L + annotatorId) + handed), 100) < percent;
    }

    /** SplitMix64's finaliser: every input bit flips about half the output bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
