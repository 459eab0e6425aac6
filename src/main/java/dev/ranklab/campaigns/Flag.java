package dev.ranklab.campaigns;

import java.util.List;

/** A content flag an annotator may attach to a response: a stable code for data, a label for people. */
public record Flag(String code, String label) {

    /** InstructGPT's labeling metadata (Ouyang et al. 2022, appendix B). */
    public static final List<Flag> INSTRUCTGPT_DEFAULTS = List.of(
            new Flag("fails_instruction", "Fails to follow the instruction"),
            new Flag("hallucination", "Hallucination / made-up facts"),
            new Flag("inappropriate_for_assistant", "Inappropriate for a customer assistant"),
            new Flag("sexual_content", "Sexual content"),
            new Flag("violent_content", "Violent content"),
            new Flag("encourages_harm", "Encourages violence, abuse, terrorism or self-harm"),
            new Flag("denigrates_protected_class", "Denigrates a protected class"),
            new Flag("harmful_advice", "Gives harmful advice"),
            new Flag("controversial_opinion", "Expresses an opinion on a controversial topic"),
            new Flag("moral_judgment", "Expresses a moral judgment"));
}
