package dev.ranklab.items;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.web.InvalidInputException;

/**
 * Validates one NDJSON import line and turns it into the stored form: the prompt as chat messages, the responses
 * with stable ids. Every rule failure names the field, so the import report can point at the fix.
 */
public final class ItemLineParser {

    static final int MAX_EXTERNAL_ID = 200;
    static final int MAX_MESSAGES = 200;
    static final int MAX_PROMPT_CHARS = 200_000;
    static final int MAX_RESPONSE_CHARS = 100_000;
    static final int MAX_MODEL = 200;
    static final int MAX_METADATA_CHARS = 65_536;
    private static final Set<String> FIELDS = Set.of("externalId", "prompt", "responses", "metadata", "gold");
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content");
    private static final Set<String> RESPONSE_FIELDS = Set.of("text", "model");

    /** A line that passed every rule, with its JSON ready for the database. */
    record ParsedItem(String externalId, String promptJson, String responsesJson, String metadataJson,
            String goldJson, boolean awaitsGeneration) {
    }

    /** Why a line was rejected. */
    static final class LineRejected extends Exception {

        LineRejected(String message) {
            super(message, null, false, false);
        }
    }

    private final ObjectMapper json;
    private final CampaignKind kind;
    private final Integer responsesPerItem;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    ItemLineParser(CampaignKind kind, Integer responsesPerItem) {
        this.kind = kind;
        this.responsesPerItem = responsesPerItem;
        this.json = JsonMapper.builder().build();
        // Deeply nested input is an attack, not an item.
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    ParsedItem parse(byte[] bytes, int length) throws LineRejected {
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new LineRejected("not valid UTF-8");
        }
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            throw new LineRejected("not valid JSON: " + (why.length() > 120 ? why.substring(0, 120) + "…" : why));
        }
        if (root == null || !root.isObject()) {
            throw new LineRejected("each line must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new LineRejected("unknown field '" + clip(name)
                        + "' (allowed: externalId, prompt, responses, metadata, gold)");
            }
        }
        List<ChatMessage> prompt = prompt(root.get("prompt"));
        List<ItemResponse> responses = responses(root.get("responses"));
        Map<String, Object> metadata = metadata(root.get("metadata"));
        List<List<String>> gold = gold(root.get("gold"), responses);
        try {
            String promptJson = json.writeValueAsString(prompt);
            String responsesJson = json.writeValueAsString(responses);
            String metadataJson = json.writeValueAsString(metadata);
            if (metadataJson.length() > MAX_METADATA_CHARS) {
                throw new LineRejected("metadata: at most " + MAX_METADATA_CHARS + " characters of JSON");
            }
            String externalId = externalId(root.get("externalId"), promptJson, responsesJson);
            return new ParsedItem(externalId, promptJson, responsesJson, metadataJson,
                    gold == null ? null : json.writeValueAsString(gold),
                    kind == CampaignKind.RANKING && responses.isEmpty());
        } catch (JsonProcessingException e) {
            throw new LineRejected("cannot be stored as JSON");
        }
    }

    /**
     * A prompt by the rules of an import line (a string, or {role, content} messages ending with the user's), for
     * other inputs that carry one, such as the scoring API. Bad input names the field in its error.
     */
    public static List<ChatMessage> promptOf(JsonNode node) {
        try {
            return prompt(node);
        } catch (LineRejected e) {
            // "prompt[2].role: must be ..." names the field before the colon.
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            boolean named = message.startsWith("prompt") && colon > 0;
            throw InvalidInputException.of(named ? message.substring(0, colon) : "prompt",
                    named ? message.substring(colon + 2) : message);
        }
    }

    private static List<ChatMessage> prompt(JsonNode node) throws LineRejected {
        if (node == null || node.isNull()) {
            throw new LineRejected("prompt: required (a string, or a list of {role, content} messages)");
        }
        if (node.isTextual()) {
            String content = checkedText("prompt", node.asText(), MAX_PROMPT_CHARS);
            return List.of(new ChatMessage("user", content));
        }
        if (!node.isArray()) {
            throw new LineRejected("prompt: must be a string or a list of {role, content} messages");
        }
        if (node.isEmpty()) {
            throw new LineRejected("prompt: the message list is empty");
        }
        if (node.size() > MAX_MESSAGES) {
            throw new LineRejected("prompt: at most " + MAX_MESSAGES + " messages");
        }
        List<ChatMessage> messages = new ArrayList<>(node.size());
        int total = 0;
        for (int i = 0; i < node.size(); i++) {
            String where = "prompt[" + i + "]";
            JsonNode message = node.get(i);
            if (!message.isObject()) {
                throw new LineRejected(where + ": must be an object {role, content}");
            }
            checkFields(where, message, MESSAGE_FIELDS);
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual() || !ChatMessage.ROLES.contains(role.asText())) {
                throw new LineRejected(where + ".role: must be system, user or assistant");
            }
            JsonNode content = message.get("content");
            if (content == null || !content.isTextual()) {
                throw new LineRejected(where + ".content: required, a string");
            }
            String text = checkedText(where + ".content", content.asText(), MAX_PROMPT_CHARS);
            total += text.length();
            messages.add(new ChatMessage(role.asText(), text));
        }
        if (total > MAX_PROMPT_CHARS) {
            throw new LineRejected("prompt: at most " + MAX_PROMPT_CHARS + " characters in all");
        }
        if (!"user".equals(messages.get(messages.size() - 1).role())) {
            throw new LineRejected("prompt: the last message must be the user's (the responses answer it)");
        }
        return messages;
    }

    private List<ItemResponse> responses(JsonNode node) throws LineRejected {
        boolean absent = node == null || node.isNull() || (node.isArray() && node.isEmpty());
        if (kind == CampaignKind.DEMONSTRATION) {
            if (!absent) {
                throw new LineRejected("responses: a DEMONSTRATION campaign takes no responses");
            }
            return List.of();
        }
        if (absent) {
            // No responses: the item waits for a generation job to sample its K responses from model endpoints.
            return List.of();
        }
        if (!node.isArray()) {
            throw new LineRejected("responses: must be a list of {text, model} objects");
        }
        if (node.size() != responsesPerItem) {
            throw new LineRejected("responses: this campaign needs exactly " + responsesPerItem + ", got "
                    + node.size());
        }
        List<ItemResponse> responses = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String where = "responses[" + i + "]";
            JsonNode response = node.get(i);
            String text;
            String model = null;
            if (response.isTextual()) {
                text = response.asText();
            } else if (response.isObject()) {
                checkFields(where, response, RESPONSE_FIELDS);
                JsonNode textNode = response.get("text");
                if (textNode == null || !textNode.isTextual()) {
                    throw new LineRejected(where + ".text: required, a string");
                }
                text = textNode.asText();
                JsonNode modelNode = response.get("model");
                if (modelNode != null && !modelNode.isNull()) {
                    if (!modelNode.isTextual()) {
                        throw new LineRejected(where + ".model: must be a string");
                    }
                    model = checkedText(where + ".model", modelNode.asText(), MAX_MODEL);
                }
            } else {
                throw new LineRejected(where + ": must be an object {text, model} or a string");
            }
            responses.add(new ItemResponse("r" + (i + 1), checkedText(where + ".text", text, MAX_RESPONSE_CHARS),
                    model));
        }
        return responses;
    }

    /** A gold item's reference ranking: tiers of response ids (r1 is the line's first response), best first. */
    private List<List<String>> gold(JsonNode node, List<ItemResponse> responses) throws LineRejected {
        if (node == null || node.isNull()) {
            return null;
        }
        if (kind != CampaignKind.RANKING) {
            throw new LineRejected("gold: a reference ranking applies only to RANKING campaigns");
        }
        if (!node.isArray()) {
            throw new LineRejected("gold: must be tiers of response ids, best first, e.g. [[\"r2\"],[\"r1\",\"r3\"]]");
        }
        List<List<String>> tiers = new ArrayList<>();
        for (int t = 0; t < node.size(); t++) {
            JsonNode tier = node.get(t);
            if (!tier.isArray() || tier.isEmpty()) {
                throw new LineRejected("gold[" + t + "]: must be a non-empty list of response ids");
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode id : tier) {
                if (!id.isTextual()) {
                    throw new LineRejected("gold[" + t + "]: response ids are strings such as \"r1\"");
                }
                ids.add(id.asText());
            }
            tiers.add(ids);
        }
        String problem = GoldRanking.problem(tiers, responses.stream().map(ItemResponse::id).toList());
        if (problem != null) {
            throw new LineRejected("gold: " + problem);
        }
        return tiers;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metadata(JsonNode node) throws LineRejected {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new LineRejected("metadata: must be a JSON object");
        }
        if (node.toString().indexOf("\\u0000") >= 0) {
            throw new LineRejected("metadata: contains a NUL character, which PostgreSQL cannot store");
        }
        return json.convertValue(node, Map.class);
    }

    private String externalId(JsonNode node, String promptJson, String responsesJson) throws LineRejected {
        if (node == null || node.isNull()) {
            // Without an id, the content is the identity: importing the same file twice stays idempotent.
            return "sha256:" + sha256(promptJson + "\n" + responsesJson).substring(0, 32);
        }
        String id;
        if (node.isTextual()) {
            id = node.asText().strip();
        } else if (node.isIntegralNumber()) {
            id = node.asText();
        } else {
            throw new LineRejected("externalId: must be a string");
        }
        if (id.isEmpty() || id.length() > MAX_EXTERNAL_ID) {
            throw new LineRejected("externalId: must be 1 to " + MAX_EXTERNAL_ID + " characters");
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new LineRejected("externalId: must not contain control characters");
        }
        return id;
    }

    private static String checkedText(String where, String text, int max) throws LineRejected {
        if (text.isBlank()) {
            throw new LineRejected(where + ": must not be empty");
        }
        if (text.length() > max) {
            throw new LineRejected(where + ": at most " + max + " characters, got " + text.length());
        }
        if (text.indexOf('\0') >= 0) {
            throw new LineRejected(where + ": contains a NUL character, which PostgreSQL cannot store");
        }
        return text;
    }

    private static void checkFields(String where, JsonNode node, Set<String> allowed) throws LineRejected {
        for (Iterator<String> names = ((ObjectNode) node).fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new LineRejected(where + ": unknown field '" + clip(name) + "' (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String clip(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
