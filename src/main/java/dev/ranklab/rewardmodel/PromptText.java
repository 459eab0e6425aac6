package dev.ranklab.rewardmodel;

import java.util.List;
import java.util.Locale;

import dev.ranklab.items.ChatMessage;

/** A prompt's messages as one text for the encoder: a lone user message as is, a dialogue turn by turn. */
public final class PromptText {

    private PromptText() {
    }

    public static String of(List<ChatMessage> messages) {
        if (messages.size() == 1 && "user".equals(messages.get(0).role())) {
            return messages.get(0).content();
        }
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            String role = message.role();
            text.append(role.substring(0, 1).toUpperCase(Locale.ROOT)).append(role.substring(1)).append(": ")
                    .append(message.content());
        }
        return text.toString();
    }
}
