package dev.ranklab.datasets;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.ranklab.items.ChatMessage;

/**
 * PandaLM's test set (a JSON array of pairwise comparisons by three annotators, with bare NaN tokens) as K-way
 * items: one item per instruction with the responses of the models compared on it, and one ranking per annotator.
 * <p>
 * Each annotator compared only some pairs of an instruction's responses, so a ranking is built from their pairwise
 * labels by Copeland score (wins minus losses); responses with equal scores share a tier. Pairs nobody compared
 * are thereby ordered by the pairs that were; the export's pairs of such rankings are inferred, not observed.
 */
public final class PandaLm {

    private PandaLm() {
    }

    /**
     * The items whose instruction has exactly {@code k} responses, and how many others were skipped: fewer models,
     * or an empty response (Ranklab does not import empty responses).
     */
    public record Converted(List<LabeledItem> items, int skipped) {
    }

    public static Converted read(Reader reader, int k) throws IOException {
        ObjectMapper json = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        JsonNode root = json.readTree(reader);
        if (!root.isArray()) {
            throw new IllegalArgumentException("PandaLM's test set is a JSON array of comparisons");
        }
        Map<String, List<JsonNode>> byPrompt = new LinkedHashMap<>();
        for (JsonNode comparison : root) {
            byPrompt.computeIfAbsent(prompt(comparison), p -> new ArrayList<>()).add(comparison);
        }
        List<LabeledItem> items = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, List<JsonNode>> entry : byPrompt.entrySet()) {
            LabeledItem item = item(entry.getKey(), entry.getValue());
            if (item.responses().size() == k && item.responses().stream().noneMatch(String::isBlank)) {
                items.add(item);
            } else {
                skipped++;
            }
        }
        return new Converted(items, skipped);
    }

    private static String prompt(JsonNode comparison) {
        String instruction = comparison.path("instruction").asText("").strip();
        JsonNode input = comparison.get("input");
        String extra = input == null || !input.isTextual() ? "" : input.asText().strip();
        return extra.isEmpty() ? instruction : instruction + "\n\n" + extra;
    }

    private static LabeledItem item(String prompt, List<JsonNode> comparisons) {
        // Model name -> response text, in the order the models first appear.
        Map<String, String> responses = new LinkedHashMap<>();
        for (JsonNode comparison : comparisons) {
            String[] models = comparison.path("cmp_key").asText().split("_", 2);
            responses.putIfAbsent(models[0], comparison.path("response1").asText(""));
            responses.putIfAbsent(models[1], comparison.path("response2").asText(""));
        }
        List<String> models = new ArrayList<>(responses.keySet());
        List<List<List<String>>> rankings = new ArrayList<>();
        for (String annotator : List.of("annotator1", "annotator2", "annotator3")) {
            Map<String, Integer> score = new LinkedHashMap<>();
            models.forEach(m -> score.put(m, 0));
            boolean any = false;
            for (JsonNode comparison : comparisons) {
                JsonNode label = comparison.get(annotator);
                if (label == null || !label.isNumber() || Double.isNaN(label.asDouble())) {
                    continue;
                }
                String[] pair = comparison.path("cmp_key").asText().split("_", 2);
                int value = label.asInt();
                any = true;
                if (value == 1) {
                    score.merge(pair[0], 1, Integer::sum);
                    score.merge(pair[1], -1, Integer::sum);
                } else if (value == 2) {
                    score.merge(pair[1], 1, Integer::sum);
                    score.merge(pair[0], -1, Integer::sum);
                }
            }
            if (any) {
                rankings.add(tiers(models, score));
            }
        }
        String id = "pandalm-" + HhRlhf.sha256(prompt).substring(0, 16);
        return new LabeledItem(id, List.of(new ChatMessage("user", prompt)), new ArrayList<>(responses.values()),
                rankings);
    }

    /** Response ids r1…rK grouped by descending score. */
    private static List<List<String>> tiers(List<String> models, Map<String, Integer> score) {
        TreeMap<Integer, List<String>> byScore = new TreeMap<>(Comparator.reverseOrder());
        for (int i = 0; i < models.size(); i++) {
            byScore.computeIfAbsent(score.get(models.get(i)), s -> new ArrayList<>()).add("r" + (i + 1));
        }
        return new ArrayList<>(byScore.values());
    }
}
