package dev.ranklab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/**
 * Every line of every format, from a campaign whose data varies in every way that used to change a line's keys or
 * types, validates against the published schema, and its Parquet file has the same columns with the same types.
 */
@QuarkusTest
class ExportSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two items: a plain prompt with models and metadata, a Unicode conversation without models or metadata. */
    static long variedCampaign() {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("varied"), "kind", "RANKING",
                "responsesPerItem", 3, "overlap", 3));
        Api.ndjson(
                """
                        {"externalId":"plain","prompt":"Name a colour","responses":[{"text":"red\\n","model":"m1"},{"text":"blue","model":"m2"},{"text":"green"}],"metadata":{"topic":"art","n":1}}
                        {"prompt":[{"role":"system","content":"Be kind"},{"role":"user","content":"日本語? 🙂"},{"role":"assistant","content":"はい"},{"role":"user","content":"Encore ?"}],"responses":["oui","non","peut-être"],"metadata":{"lang":["ja","fr"]}}
                        """)
                .post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        for (int i = 0; i < 3; i++) {
            for (int item = 0; item < 2; item++) {
                String annotator = Api.newUser("ANNOTATOR");
                int taskId = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
                Map<String, Object> body = new LinkedHashMap<>();
                if (i == 2 && item == 1) {
                    body.put("outcome", "SKIPPED");
                    body.put("reason", "je ne sais pas");
                } else {
                    body.put("ranking", i == 1
                            ? List.of(List.of("r2", "r3"), List.of("r1"))
                            : List.of(List.of("r1"), List.of("r2"), List.of("r3")));
                    body.put("ratings", Map.of("r1", 6 - i, "r2", 4, "r3", 2));
                    if (i == 0) {
                        body.put("flags", Map.of("r3", List.of("hallucination")));
                        body.put("comment", "ok ✓");
                    }
                }
                Tasks.submit(annotator, taskId, body, null).then().statusCode(201);
                if (i == 1 && item == 0) {
                    // A revised ranking: its line carries revision 2, the others 1, a skip null.
                    Api.as(annotator).contentType("application/json").header("Idempotency-Key", "revise")
                            .body(Map.of("ranking", List.of(List.of("r1"), List.of("r2", "r3")), "ratings",
                                    Map.of("r1", 5, "r2", 4, "r3", 4)))
                            .put("/api/v1/tasks/" + taskId + "/submission").then().statusCode(200);
                }
            }
        }
        return campaign;
    }

    private static List<JsonNode> lines(byte[] body) throws Exception {
        return ExportTest.lines(body);
    }

    private static byte[] export(String token, long campaign, Map<String, String> options) {
        return Api.as(token).queryParams(options).get("/api/v1/campaigns/" + campaign + "/export").then()
                .statusCode(200).extract().asByteArray();
    }

    @Test
    void everyLineOfEveryFormatValidatesAndParquetHasTheSameColumns() throws Exception {
        long campaign = variedCampaign();
        String researcher = Api.newUser("RESEARCHER");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (String format : List.of("rankings", "pairs", "trl", "kto")) {
            for (Map<String, String> options : List.of(Map.of("format", format),
                    Map.of("format", format, "split", "prompt", "testFraction", "0.5"),
                    Map.of("format", format, "aggregate", "consensus", "split", "prompt"))) {
                JsonNode published = JSON.readTree(Api.as(researcher)
                        .queryParam("aggregate", options.getOrDefault("aggregate", "none"))
                        .get("/api/v1/export-schemas/" + format).then().statusCode(200)
                        .contentType("application/schema+json").extract().asByteArray());
                JsonSchema schema = factory.getSchema(published);
                List<String> keys = new ArrayList<>();
                published.get("required").forEach(key -> keys.add(key.asText()));
                List<JsonNode> lines = lines(export(researcher, campaign, options));
                assertFalse(lines.isEmpty(), options.toString());
                for (JsonNode line : lines) {
                    Set<ValidationMessage> errors = schema.validate(line);
                    assertTrue(errors.isEmpty(), options + " " + errors + " in " + line);
                    List<String> names = new ArrayList<>();
                    line.fieldNames().forEachRemaining(names::add);
                    assertEquals(keys, names, "every line has every key, in order");
                }
                Map<String, String> parquet = new HashMap<>(options);
                parquet.put("file", "parquet");
                Map<String, String> columns = parquetTypes(export(researcher, campaign, parquet));
                assertEquals(keys, List.copyOf(columns.keySet()), format);
                // A field null on every line says nothing about its type in JSON; the schema test above covers it.
                jsonTypes(lines).forEach((name, type) -> assertTrue(type.equals("?")
                        || type.equals(columns.get(name)), options + " " + name + ": " + columns.get(name)));
            }
        }
        List<JsonNode> rankings = lines(export(researcher, campaign, Map.of("format", "rankings")));
        assertEquals(List.of(1, 1, 1, 1, 2), rankings.stream().filter(l -> !l.get("revision").isNull())
                .map(l -> l.get("revision").asInt()).sorted().toList());
        assertTrue(rankings.stream().anyMatch(l -> l.get("revision").isNull() && l.get("outcome").asText()
                .equals("SKIPPED")));
        assertEquals(3, ExportSchema.VERSION, "a changed field changes the version");
        // A failing check: a line with a key of the wrong type does not validate.
        JsonSchema pairs = factory.getSchema(JSON.valueToTree(ExportSchema.jsonSchema(ExportFormat.PAIRS, false)));
        JsonNode line = lines(export(researcher, campaign, Map.of("format", "pairs"))).get(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) line).put("margin", "2");
        assertFalse(pairs.validate(line).isEmpty());
    }

    /** Each top-level field's Parquet type as JSON lines imply it: whole numbers 64-bit, every time a string. */
    private static Map<String, String> jsonTypes(List<JsonNode> lines) {
        Map<String, String> types = new LinkedHashMap<>();
        lines.get(0).fieldNames().forEachRemaining(name -> {
            String type = "?";
            for (JsonNode line : lines) {
                JsonNode value = line.get(name);
                if (value.isIntegralNumber()) {
                    type = "BIGINT";
                } else if (value.isTextual()) {
                    type = "VARCHAR";
                } else if (value.isBoolean()) {
                    type = "BOOLEAN";
                } else if (value.isFloatingPointNumber()) {
                    type = "DOUBLE";
                } else if (!value.isNull()) {
                    type = "nested";
                }
            }
            types.put(name, type);
        });
        return types;
    }

    private static Map<String, String> parquetTypes(byte[] body) throws Exception {
        Path file = Files.createTempFile("export", ".parquet");
        Files.write(file, body);
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection duck = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM '" + file + "'")) {
            while (rs.next()) {
                String type = rs.getString(2);
                types.put(rs.getString(1), type.contains("[]") || type.startsWith("STRUCT") ? "nested" : type);
            }
        } finally {
            Files.delete(file);
        }
        return types;
    }

    @Test
    void aPromptSplitKeepsEachPromptInOneSplitDeterministically() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 2, 12);
        for (int i = 0; i < 24; i++) {
            String annotator = Api.newUser("ANNOTATOR");
            Tasks.submitShownOrder(annotator, Tasks.next(annotator, campaign));
        }
        String researcher = Api.newUser("RESEARCHER");
        Map<String, String> options = Map.of("format", "pairs", "split", "prompt", "testFraction", "0.3",
                "validationFraction", "0.2", "seed", "7");
        byte[] once = export(researcher, campaign, options);
        assertEquals(new String(once, StandardCharsets.UTF_8),
                new String(export(researcher, campaign, options), StandardCharsets.UTF_8));
        Map<String, String> splitOf = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode line : lines(once)) {
            String prompt = line.get("prompt").toString();
            String split = line.get("split").asText();
            assertEquals(splitOf.computeIfAbsent(prompt, p -> split), split, "one prompt, one split");
            counts.merge(split, 1, Integer::sum);
        }
        assertEquals(12, splitOf.size());
        assertEquals(Set.of("train", "validation", "test"), counts.keySet(), counts.toString());
        // Every format carries the same prompt's split.
        for (String format : List.of("rankings", "trl", "kto")) {
            Map<String, String> other = new HashMap<>(options);
            other.put("format", format);
            for (JsonNode line : lines(export(researcher, campaign, other))) {
                String prompt = line.get("prompt").toString();
                assertEquals(splitOf.get(prompt), line.get("split").asText(), format);
            }
        }
        // Another seed gives another split; no split gives null.
        Map<String, String> reseeded = new HashMap<>(options);
        reseeded.put("seed", "8");
        assertFalse(new String(once, StandardCharsets.UTF_8)
                .equals(new String(export(researcher, campaign, reseeded), StandardCharsets.UTF_8)));
        assertTrue(lines(export(researcher, campaign, Map.of("format", "pairs"))).get(0).get("split").isNull());
    }

    @Test
    void ktoLabelsComeFromRatingsOrTiers() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 2, 1);
        Tasks.submitAsNewAnnotator(campaign, Map.of("ranking", List.of(List.of("r1"), List.of("r2"), List.of("r3")),
                "ratings", Map.of("r1", 7, "r2", 5, "r3", 1)));
        Tasks.submitAsNewAnnotator(campaign, Map.of("ranking", List.of(List.of("r1", "r2", "r3")),
                "ratings", Map.of("r1", 4, "r2", 4, "r3", 4)));
        String researcher = Api.newUser("RESEARCHER");
        List<JsonNode> ratings = lines(export(researcher, campaign, Map.of("format", "kto")));
        assertEquals(List.of(true, true, false, false, false, false),
                ratings.stream().map(l -> l.get("label").asBoolean()).toList());
        List<JsonNode> tiers = lines(export(researcher, campaign, Map.of("format", "kto", "ktoLabel", "tiers")));
        assertEquals(List.of("r1", "r3"), tiers.stream().map(l -> l.get("responseId").asText()).toList(),
                "the middle tier and the all-tied ranking give no label");
        assertEquals(List.of(true, false), tiers.stream().map(l -> l.get("label").asBoolean()).toList());
        assertEquals("assistant", tiers.get(0).get("completion").get(0).get("role").asText());
        List<JsonNode> strict = lines(export(researcher, campaign, Map.of("format", "kto", "ktoThreshold", "7",
                "trlFormat", "standard")));
        assertEquals(1, strict.stream().filter(l -> l.get("label").asBoolean()).count());
        assertEquals("question i0", strict.get(0).get("prompt").asText());
    }
}
