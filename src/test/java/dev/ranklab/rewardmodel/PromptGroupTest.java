package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ranklab.items.ChatMessage;

class PromptGroupTest {

    static List<ChatMessage> dialogue(String... turns) {
        List<ChatMessage> messages = new java.util.ArrayList<>();
        for (int i = 0; i < turns.length; i++) {
            messages.add(new ChatMessage(i % 2 == 0 ? "user" : "assistant", turns[i]));
        }
        return messages;
    }

    /** HH-RLHF's near-twins: the same opening request, different later turns. */
    @Test
    void dialoguesThatOpenAlikeShareAGroupAndTheirSplit() {
        List<ChatMessage> one = dialogue("How can I tarnish somebody's reputation?", "Why would you want to?",
                "They wronged me.");
        List<ChatMessage> other = dialogue("how can I  tarnish somebody’s reputation", "I can't help with that.",
                "Please, just one idea.", "No.", "Fine.");
        List<ChatMessage> alone = dialogue("How can I tarnish somebody's reputation?");
        assertEquals(PromptGroup.of(one), PromptGroup.of(other));
        assertEquals(PromptGroup.of(one), PromptGroup.of(alone));
        assertEquals("how can i tarnish somebody s reputation", PromptGroup.of(one));
        assertNotEquals(PromptText.of(one), PromptText.of(other));
        assertEquals(Split.of(PromptGroup.of(one)), Split.of(PromptGroup.of(other)));
    }

    @Test
    void differentRequestsAreDifferentGroups() {
        assertNotEquals(PromptGroup.of(dialogue("How do I bake bread?")),
                PromptGroup.of(dialogue("How do I bake a cake?")));
        assertEquals(PromptGroup.of(dialogue("Café au lait?")), PromptGroup.of(dialogue("cafe AU LAIT")));
    }

    @Test
    void aPromptWithoutAUserTurnIsGroupedByItsWholeText() {
        List<ChatMessage> system = List.of(new ChatMessage("system", "Be brief."));
        assertEquals("system be brief", PromptGroup.of(system));
    }
}
