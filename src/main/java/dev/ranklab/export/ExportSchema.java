package dev.ranklab.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The fields of each export format, declared once: the Parquet columns and the published JSON Schema are both made
 * from this list, so a JSON line and a Parquet row of one export have the same keys with the same types. Every line
 * carries every field (absent values are null); integers are 64-bit and decimals double in both files; times are
 * ISO-8601 strings and an item's open-ended metadata a JSON-encoded string, so no reader infers a type per file.
 */
public final class ExportSchema {

    /** The version of these formats, in every job's manifest; it changes when a field changes. */
    public static final int VERSION = 3;

    /** The value types a field may have. */
    enum Type {
        INTEGER, NUMBER, STRING, BOOLEAN, MESSAGES, RESPONSES, TIERS, STRINGS, INTEGERS,
        /** An object keyed by every response id of the item (r1 … rK). */
        RATING_PER_RESPONSE, FLAGS_PER_RESPONSE, SCORE_PER_RESPONSE
    }

    /** One field of a line; {@code nullable} says whether it may be null. */
    record Field(String name, Type type, boolean nullable, String description) {
    }

    private ExportSchema() {
    }

    private static Field required(String name, Type type, String description) {
        return new Field(name, type, false, description);
    }

    private static Field optional(String name, Type type, String description) {
        return new Field(name, type, true, description);
    }

    private static final Field SPLIT = optional("split", Type.STRING,
            "train, validation or test with split=prompt; null without");
    private static final Field ANNOTATOR = required("annotator", Type.STRING,
            "the annotator's pseudonym, stable within the campaign (a username with realNames=true)");
    private static final Field ITEM_ID = required("itemId", Type.INTEGER, "the item (prompt and responses)");
    private static final Field RANKING_ID = optional("rankingId", Type.INTEGER, "the ranking the line comes from; "
            + "null on a consensus line");
    private static final Field ANNOTATOR_OR_CONSENSUS = optional("annotator", Type.STRING, "the annotator's "
            + "pseudonym (a username with realNames=true); null on a consensus line");

    /** The fields of an export's lines with these options, in order. */
    static List<Field> fields(ExportOptions options) {
        if (options.consensus() && options.format() == ExportFormat.RANKINGS) {
            return consensusRankings();
        }
        return fields(options.format(), options.shape().trlStandard(), options.shape().scoreVersion() != null);
    }

    /** A consensus rankings line: one per item, its annotators' rankings merged. */
    static List<Field> consensusRankings() {
        return List.of(ITEM_ID, optional("externalId", Type.STRING, "the item's id in the imported file"),
                required("prompt", Type.MESSAGES, "the conversation the responses answer"),
                required("responses", Type.RESPONSES, "the ranked responses: id, text, model (null when not "
                        + "imported)"),
                required("tiers", Type.TIERS, "the consensus: response ids best first; ids in one tier are tied"),
                required("agreement", Type.NUMBER, "share of the annotators' pair judgments the consensus agrees "
                        + "with"),
                required("rankings", Type.INTEGER, "how many rankings were merged"),
                required("rankingIds", Type.INTEGERS, "the merged rankings"), SPLIT);
    }

    /** The fields of a format's lines with these options, in order. */
    static List<Field> fields(ExportFormat format, boolean standard, boolean scores) {
        Type text = standard ? Type.STRING : Type.MESSAGES;
        List<Field> fields = new ArrayList<>();
        switch (format) {
            case RANKINGS -> {
                fields.add(optional("rankingId", Type.INTEGER, "the stored ranking; null for a skipped or "
                        + "unrankable task"));
                fields.add(optional("revision", Type.INTEGER, "the ranking's revision on this line, the latest: 1 "
                        + "as first submitted, one more for each revision by its annotator; null without a ranking"));
                fields.add(required("taskId", Type.INTEGER, "the annotator's task"));
                fields.add(ITEM_ID);
                fields.add(optional("externalId", Type.STRING, "the item's id in the imported file"));
                fields.add(required("campaignId", Type.INTEGER, "the campaign"));
                fields.add(required("campaign", Type.STRING, "the campaign's name"));
                fields.add(required("prompt", Type.MESSAGES, "the conversation the responses answer"));
                fields.add(required("responses", Type.RESPONSES, "the ranked responses: id, text, model (null when "
                        + "not imported)"));
                fields.add(required("outcome", Type.STRING, "SUBMITTED, SKIPPED or UNRANKABLE"));
                fields.add(optional("tiers", Type.TIERS, "response ids best first; ids in one tier are tied"));
                fields.add(optional("ratings", Type.RATING_PER_RESPONSE, "every response's rating, 1-7 (null: not "
                        + "rated, where the campaign makes ratings optional)"));
                fields.add(optional("flags", Type.FLAGS_PER_RESPONSE, "every response's flag codes (empty list: "
                        + "none)"));
                fields.add(optional("comment", Type.STRING, "the annotator's comment"));
                fields.add(optional("reason", Type.STRING, "why the task was skipped or unrankable"));
                fields.add(ANNOTATOR);
                fields.add(optional("displayOrder", Type.STRINGS, "the order the responses were shown in"));
                fields.add(optional("leasedAt", Type.STRING, "when the task was leased (ISO-8601)"));
                fields.add(required("submittedAt", Type.STRING, "when the task was finished (ISO-8601)"));
                fields.add(optional("leaseSeconds", Type.INTEGER, "seconds from lease to submission"));
                fields.add(optional("activeSeconds", Type.INTEGER, "seconds the page reported as active"));
                fields.add(required("metadata", Type.STRING, "the item's imported metadata, JSON-encoded"));
                fields.add(SPLIT);
                if (scores) {
                    fields.add(required("scoreVersion", Type.INTEGER, "the reward model version of the scores"));
                    fields.add(optional("scores", Type.SCORE_PER_RESPONSE, "every response's reward score"));
                }
            }
            case PAIRS -> {
                fields.add(required("prompt", Type.MESSAGES, "the conversation"));
                fields.add(required("chosen", Type.STRING, "the better response's text"));
                fields.add(required("rejected", Type.STRING, "the worse response's text"));
                fields.add(required("margin", Type.INTEGER, "tier distance (or rating difference with "
                        + "margin=ratings)"));
                fields.add(required("chosenId", Type.STRING, "the better response's id"));
                fields.add(required("rejectedId", Type.STRING, "the worse response's id"));
                fields.add(optional("chosenRating", Type.INTEGER, "the better response's rating"));
                fields.add(optional("rejectedRating", Type.INTEGER, "the worse response's rating"));
                fields.add(RANKING_ID);
                fields.add(ITEM_ID);
                fields.add(ANNOTATOR_OR_CONSENSUS);
                fields.add(SPLIT);
                if (scores) {
                    fields.add(required("scoreVersion", Type.INTEGER, "the reward model version of the scores"));
                    fields.add(optional("chosenScore", Type.NUMBER, "the better response's reward score"));
                    fields.add(optional("rejectedScore", Type.NUMBER, "the worse response's reward score"));
                }
            }
            case TRL -> {
                fields.add(required("prompt", text, "the conversation (standard: the user's message)"));
                fields.add(required("chosen", text, "the better reply (conversational: one assistant message)"));
                fields.add(required("rejected", text, "the worse reply"));
                fields.add(required("margin", Type.INTEGER, "tier distance (or rating difference with "
                        + "margin=ratings)"));
                fields.add(ITEM_ID);
                fields.add(RANKING_ID);
                fields.add(ANNOTATOR_OR_CONSENSUS);
                fields.add(SPLIT);
            }
            case KTO -> {
                fields.add(required("prompt", text, "the conversation (standard: the user's message)"));
                fields.add(required("completion", text, "the response (conversational: one assistant message)"));
                fields.add(required("label", Type.BOOLEAN, "desirable (true) or undesirable (false)"));
                fields.add(required("responseId", Type.STRING, "the response's id"));
                fields.add(optional("rating", Type.INTEGER, "the response's rating"));
                fields.add(ITEM_ID);
                fields.add(RANKING_ID);
                fields.add(ANNOTATOR_OR_CONSENSUS);
                fields.add(SPLIT);
            }
            case SFT -> {
                fields.add(required("messages", Type.MESSAGES, "the conversation ending with the demonstration"));
                fields.add(ITEM_ID);
                fields.add(required("demonstrationId", Type.INTEGER, "the stored demonstration"));
                fields.add(ANNOTATOR);
                fields.add(SPLIT);
            }
            default -> throw new IllegalArgumentException(format.name());
        }
        return fields;
    }

    /** DuckDB's column list for reading the JSON lines into Parquet; K is the campaign's responses per item. */
    static String duckdbColumns(List<Field> fields, int k) {
        StringJoiner columns = new StringJoiner(", ", "{", "}");
        for (Field field : fields) {
            columns.add(field.name() + ": '" + duckdb(field.type(), k) + "'");
        }
        return columns.toString();
    }

    private static String duckdb(Type type, int k) {
        return switch (type) {
            case INTEGER -> "BIGINT";
            case NUMBER -> "DOUBLE";
            case STRING -> "VARCHAR";
            case BOOLEAN -> "BOOLEAN";
            case MESSAGES -> "STRUCT(role VARCHAR, content VARCHAR)[]";
            case RESPONSES -> "STRUCT(id VARCHAR, text VARCHAR, model VARCHAR)[]";
            case TIERS -> "VARCHAR[][]";
            case STRINGS -> "VARCHAR[]";
            case INTEGERS -> "BIGINT[]";
            case RATING_PER_RESPONSE -> perResponse(k, "BIGINT");
            case FLAGS_PER_RESPONSE -> perResponse(k, "VARCHAR[]");
            case SCORE_PER_RESPONSE -> perResponse(k, "DOUBLE");
        };
    }

    private static String perResponse(int k, String type) {
        StringJoiner fields = new StringJoiner(", ", "STRUCT(", ")");
        for (int i = 1; i <= k; i++) {
            fields.add("r" + i + " " + type);
        }
        return fields.toString();
    }

    /**
     * The JSON Schema (draft 2020-12) every line of the format validates against. Fields that only some options
     * add (the reward scores) are listed but not required; no other key is allowed.
     */
    public static Map<String, Object> jsonSchema(ExportFormat format, boolean consensus) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        boolean merged = consensus && format == ExportFormat.RANKINGS;
        List<Field> base = merged ? consensusRankings() : fields(format, false, false);
        List<Field> standard = merged ? base : fields(format, true, false);
        List<Field> all = merged ? base : fields(format, false, true);
        for (int i = 0; i < all.size(); i++) {
            Field field = all.get(i);
            Map<String, Object> schema = schema(field.type(), field.nullable());
            if (i < standard.size() && standard.get(i).type() != field.type()) {
                schema = Map.of("anyOf", List.of(schema, schema(standard.get(i).type(), field.nullable())));
            }
            Map<String, Object> described = new LinkedHashMap<>(schema);
            described.put("description", field.description());
            properties.put(field.name(), described);
            if (i < base.size()) {
                required.add(field.name());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        String name = format.fileName() + (merged ? "-consensus" : "");
        schema.put("$id", "ranklab:export/" + name + "/v" + VERSION);
        schema.put("title", "Ranklab " + name + " export line, schema version " + VERSION);
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Map<String, Object> schema(Type type, boolean nullable) {
        Map<String, Object> schema = switch (type) {
            case INTEGER -> Map.of("type", "integer");
            case NUMBER -> Map.of("type", "number");
            case STRING -> Map.of("type", "string");
            case BOOLEAN -> Map.of("type", "boolean");
            case MESSAGES -> array(object(Map.of("role", Map.of("type", "string"), "content",
                    Map.of("type", "string"))));
            case RESPONSES -> array(object(Map.of("id", Map.of("type", "string"), "text", Map.of("type", "string"),
                    "model", Map.of("type", List.of("string", "null")))));
            case TIERS -> array(array(Map.of("type", "string")));
            case STRINGS -> array(Map.of("type", "string"));
            case INTEGERS -> array(Map.of("type", "integer"));
            case RATING_PER_RESPONSE -> Map.of("type", "object", "additionalProperties",
                    Map.of("type", List.of("integer", "null")));
            case FLAGS_PER_RESPONSE -> Map.of("type", "object", "additionalProperties",
                    array(Map.of("type", "string")));
            case SCORE_PER_RESPONSE -> Map.of("type", "object", "additionalProperties",
                    Map.of("type", List.of("number", "null")));
        };
        if (!nullable) {
            return schema;
        }
        Map<String, Object> orNull = new LinkedHashMap<>(schema);
        orNull.put("type", List.of(schema.get("type"), "null"));
        return orNull;
    }

    private static Map<String, Object> array(Map<String, Object> items) {
        return Map.of("type", "array", "items", items);
    }

    private static Map<String, Object> object(Map<String, Object> properties) {
        return Map.of("type", "object", "properties", properties, "required", List.copyOf(properties.keySet()),
                "additionalProperties", false);
    }
}
