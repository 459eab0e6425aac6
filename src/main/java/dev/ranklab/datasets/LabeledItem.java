package dev.ranklab.datasets;

import java.util.List;

import dev.ranklab.items.ChatMessage;

/**
 * An item of a public preference data set with the rankings people gave it, ready to import: {@code responses}
 * get the ids r1…rK in order, and each ranking lists those ids best tier first (ids in one tier are tied).
 */
public record LabeledItem(String externalId, List<ChatMessage> prompt, List<String> responses,
        List<List<List<String>>> rankings) {
}
