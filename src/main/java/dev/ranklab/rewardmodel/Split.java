package dev.ranklab.rewardmodel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where a prompt group's rankings go. Decided by a hash of the {@link PromptGroup}, so all rankings of one prompt,
 * of the dialogues that open like it, and of the same prompt in another campaign land on the same side, and every
 * version is compared on the same held-out groups.
 */
public enum Split {

    TRAINING, VALIDATION, HELD_OUT;

    /** Percent of prompt groups held out for the reported metrics, and kept for early stopping and calibration. */
    static final int HELD_OUT_PERCENT = 20;
    static final int VALIDATION_PERCENT = 10;

    public static Split of(String group) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(group.getBytes(StandardCharsets.UTF_8));
            int bucket = Math.floorMod(((hash[0] & 0xff) << 8) | (hash[1] & 0xff), 100);
            if (bucket < HELD_OUT_PERCENT) {
                return HELD_OUT;
            }
            return bucket < HELD_OUT_PERCENT + VALIDATION_PERCENT ? VALIDATION : TRAINING;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
