package dev.ranklab.rewardmodel;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

import dev.ranklab.items.ChatMessage;

/**
 * The group a prompt belongs to when data is split for evaluation: its first user turn, normalised (case, accents,
 * punctuation and spacing ignored).
 * <p>
 * Why not the exact prompt: preference data sets hold many dialogues that open with the same request and differ
 * only in later turns (HH-RLHF has them by the dozen), and a model that saw one of them has in effect seen the
 * others. Splitting by exact prompt puts such near-twins on both sides and measures memory instead of
 * generalisation; splitting by group keeps every dialogue that opens alike on one side.
 */
public final class PromptGroup {

    private PromptGroup() {
    }

    public static String of(List<ChatMessage> messages) {
        for (ChatMessage message : messages) {
            if ("user".equals(message.role())) {
                return normalise(message.content());
            }
        }
        return normalise(PromptText.of(messages));
    }

    /** Lower case, accents dropped, every run of non-letters and non-digits one space, trimmed. */
    static String normalise(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        return decomposed.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }
}
