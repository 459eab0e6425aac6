package dev.ranklab.rewardmodel;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a training measured, stored with its version (as JSON) and shown by the API.
 *
 * @param modeReason why the training was full or incremental ({@link TrainingMode})
 * @param drift the serving version's accuracy on the rankings new to this training (null when none served)
 * @param incremental what an incremental retrain fitted (null for a full one)
 * @param epochs epochs run when fitting the served model; {@code bestEpoch} the one kept, {@code temperature} and
 *            {@code l2} what was chosen on the validation groups
 * @param heldOut the version on the held-out groups (never used for fitting or for any choice), with "shorter
 *            wins" on the same pairs; no pairs while there are no held-out groups yet
 * @param crossValidationNote why there is no cross-validation, when there is none
 * @param previousVersionAccuracy the serving version on the same held-out pairs
 * @param fitSeconds fitting the served model; {@code crossValidationSeconds} the k fold models;
 *            {@code trainingSeconds} the whole training, embedding and evaluation included
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingMetrics(String modeReason, SplitRankings splitRankings, int truncatedTexts, int encodedTexts,
        Drift drift, Incremental incremental, int epochs, int bestEpoch, float temperature, float l2,
        int trainedOnRankings, int trainedOnPairs, Evaluation.Report heldOut,
        String crossValidationNote, Integer previousVersion, Double previousVersionAccuracy, double fitSeconds,
        double crossValidationSeconds, double trainingSeconds) {

    /** Rankings per split of the prompt groups. */
    public record SplitRankings(int training, int validation, int heldOut) {
    }

    public record Drift(int newRankings, Double servingVersionAccuracy, int servingVersion) {
    }

    public record Incremental(int newRankings, int replayedRankings) {
    }

    /** Held-out pairwise accuracy, also at the top level of the JSON. */
    @JsonProperty
    public Double heldOutAccuracy() {
        return heldOut == null ? null : heldOut.accuracy();
    }

    @JsonProperty
    public Double shorterWinsAccuracy() {
        return heldOut == null ? null : heldOut.shorterWinsAccuracy();
    }

    TrainingMetrics withTrainingSeconds(double seconds) {
        return new TrainingMetrics(modeReason, splitRankings, truncatedTexts, encodedTexts, drift, incremental, epochs,
                bestEpoch, temperature, l2, trainedOnRankings, trainedOnPairs, heldOut, crossValidationNote,
                previousVersion, previousVersionAccuracy, fitSeconds,
                crossValidationSeconds, seconds);
    }
}
