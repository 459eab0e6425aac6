package dev.ranklab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.ranklab.support.Api;
import dev.ranklab.support.Python;
import dev.ranklab.support.Tasks;

/**
 * The exports as researchers load them: every format, as JSON lines and Parquet, from campaigns that vary in every
 * way that once broke a reader (missing models, metadata keys that differ per item or appear late in a file over
 * 10 MB, flags on some responses, nulls, skips, multi-turn and plain prompts, Unicode), loaded by {@code datasets},
 * polars, pandas and pyarrow, validated against the published schemas, concatenated across campaigns and across
 * the two files of one export, the {@code file=hf} folder loaded as a DatasetDict, and a signed link read by polars
 * without a header. The checks are src/test/python/check_exports.py, run with RANKLAB_PYTHON.
 */
@QuarkusTest
class ExportInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RANKED = List.of("rankings", "pairs", "trl", "kto");

    private String researcher;
    private Path dir;
    private final List<Map<String, Object>> exports = new ArrayList<>();

    @Test
    void researchersToolsLoadEveryExport() throws Exception {
        Python.require();
        researcher = Api.newUser("RESEARCHER");
        dir = Files.createTempDirectory("ranklab-interop");
        long varied = ExportSchemaTest.variedCampaign();
        long large = largeCampaign();
        long plainDemonstrations = demonstrations("Write a haiku about %d", List.of("Leaves fall\n", "  indented\n\n",
                "🙂 done "));
        long chatDemonstrations = demonstrations("[{\"role\":\"system\",\"content\":\"Sois bref\"},{\"role\":\"user\","
                + "\"content\":\"Question %d ?\"}]", List.of("Réponse.", "答え\n", "\tfin "));

        Map<String, String> schemas = new LinkedHashMap<>();
        for (String format : List.of("rankings", "pairs", "trl", "kto", "sft")) {
            schemas.put(format, schema(format, "none"));
        }
        schemas.put("rankings-consensus", schema("rankings", "consensus"));

        List<List<String>> concatenations = new ArrayList<>();
        for (String format : RANKED) {
            export("varied-" + format, varied, format, Map.of("format", format));
            export("large-" + format, large, format, Map.of("format", format));
            concatenations.add(List.of("varied-" + format, "large-" + format));
        }
        export("varied-rankings-consensus", varied, "rankings-consensus", Map.of("format", "rankings", "aggregate",
                "consensus"));
        export("varied-trl-consensus", varied, "trl", Map.of("format", "trl", "aggregate", "consensus"));
        export("plain-sft", plainDemonstrations, "sft", Map.of("format", "sft"));
        export("chat-sft", chatDemonstrations, "sft", Map.of("format", "sft"));
        concatenations.add(List.of("plain-sft", "chat-sft"));

        List<Map<String, Object>> hf = List.of(
                hf("large-trl", large, Map.of("format", "trl", "testFraction", "0.2", "validationFraction", "0.2"),
                        "prompt", List.of("Rank by helpfulness", "schema version " + ExportSchema.VERSION)),
                hf("varied-rankings", varied, Map.of("format", "rankings", "testFraction", "0.5"), "prompt",
                        List.of("Agreement", "Krippendorff")),
                hf("chat-sft", chatDemonstrations, Map.of("format", "sft", "testFraction", "0.4"), "messages",
                        List.of("demonstration")));

        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("schemas", schemas);
        cases.put("exports", exports);
        cases.put("concatenations", concatenations);
        cases.put("late", Map.of("export", "large-rankings", "metadataKey", "late", "flaggedResponse", "r1"));
        cases.put("hf", hf);
        cases.put("links", List.of(Map.of("url", link(large, Map.of("format", "trl", "file", "parquet")),
                "parquet", "large-trl.parquet")));
        Path file = dir.resolve("cases.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), cases);

        Path script = Path.of("src/test/python/check_exports.py").toAbsolutePath();
        Python.Result result = Python.run(script, List.of(file.toString()), Map.of("HF_HOME",
                dir.resolve("hf-home").toString()), 300);
        assertEquals(0, result.exitCode(), result.output());
        deleteQuietly(dir);
    }

    /**
     * Over 100 rankings whose JSON lines pass 10 MB through a large metadata value per item, with a metadata key only
     * the last items imported have, flags that first appear after line 100, items with and without models, and skips.
     */
    private long largeCampaign() {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("large ✓"), "kind", "RANKING", "responsesPerItem", 3,
                "overlap", 1, "guidelines", "Rank by helpfulness; flag anything made up."));
        String blob = "x".repeat(62_000);
        String answer = "y".repeat(40_000);
        StringBuilder items = new StringBuilder();
        int count = 110;
        for (int i = 0; i < count; i++) {
            String models = i % 3 == 0 ? "" : ",\"model\":\"m" + (i % 4) + "\"";
            items.append("{\"externalId\":\"big-").append(i).append("\",\"prompt\":\"Question ").append(i)
                    .append(" — ¿qué?\",\"responses\":[{\"text\":\"a").append(i).append(answer).append('"')
                    .append(models)
                    .append("},{\"text\":\"b").append(i).append("\"},{\"text\":\"c").append(i).append("\"")
                    .append(models)
                    .append("}],\"metadata\":{\"blob\":\"").append(blob).append("\",\"i\":").append(i)
                    .append(i >= count - 10 ? ",\"late\":{\"nested\":[1,2]}" : "").append("}}\n");
        }
        Api.ndjson(items.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        String annotator = Api.newUser("ANNOTATOR");
        for (int i = 0; i < count; i++) {
            int taskId = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
            // Lines are exported in the order of submission: i is the line number.
            int n = i;
            Map<String, Object> body = new LinkedHashMap<>();
            if (n % 37 == 5) {
                body.put("outcome", "SKIPPED");
                body.put("reason", "trop long");
            } else {
                body.put("ranking", n % 2 == 0
                        ? List.of(List.of("r1"), List.of("r2", "r3"))
                        : List.of(List.of("r3"), List.of("r1"), List.of("r2")));
                body.put("ratings", Map.of("r1", 1 + n % 7, "r2", 3, "r3", 5));
                if (n >= 100 && n % 5 == 0) {
                    body.put("flags", Map.of("r1", List.of("hallucination")));
                }
            }
            Tasks.submit(annotator, taskId, body, null).then().statusCode(201);
        }
        return campaign;
    }

    /** A demonstration campaign of one item per answer, each prompt built from {@code prompt} and its number. */
    private static long demonstrations(String prompt, List<String> answers) {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("demonstrations"), "kind", "DEMONSTRATION"));
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < answers.size(); i++) {
            String text = String.format(prompt, i);
            items.append("{\"prompt\":").append(text.startsWith("[") ? text : "\"" + text + "\"").append("}\n");
        }
        Api.ndjson(items.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        for (String answer : answers) {
            String annotator = Api.newUser("ANNOTATOR");
            int taskId = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
            Tasks.submit(annotator, taskId, Map.of("demonstration", answer), null).then().statusCode(201);
        }
        return campaign;
    }

    private String schema(String format, String aggregate) throws Exception {
        String name = "schema-" + format + "-" + aggregate + ".json";
        Files.write(dir.resolve(name), Api.as(researcher).queryParam("aggregate", aggregate)
                .get("/api/v1/export-schemas/" + format).then().statusCode(200).extract().asByteArray());
        return name;
    }

    private byte[] download(long campaign, Map<String, String> options) {
        return Api.as(researcher).queryParams(options).get("/api/v1/campaigns/" + campaign + "/export").then()
                .statusCode(200).extract().asByteArray();
    }

    private void export(String name, long campaign, String schema, Map<String, String> options) throws Exception {
        Files.write(dir.resolve(name + ".jsonl"), download(campaign, options));
        Map<String, String> parquet = new LinkedHashMap<>(options);
        parquet.put("file", "parquet");
        Files.write(dir.resolve(name + ".parquet"), download(campaign, parquet));
        exports.add(Map.of("name", name, "schema", schema, "jsonl", name + ".jsonl", "parquet", name + ".parquet"));
    }

    /** A finished background job of these options. */
    private JsonPath job(long campaign, Map<String, String> options) throws InterruptedException {
        int jobId = Api.as(researcher).contentType("application/json").body(options)
                .post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(202).extract().path("jobId");
        for (int i = 0; i < 600; i++) {
            JsonPath job = Api.as(researcher).get("/api/v1/exports/" + jobId).then().statusCode(200).extract()
                    .jsonPath();
            if (!job.getString("status").equals("QUEUED") && !job.getString("status").equals("RUNNING")) {
                assertEquals("COMPLETED", job.getString("status"), job.prettify());
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("export job " + jobId + " did not finish");
    }

    /**
     * A file=hf job's archive, with the JSON lines of the same options beside it to compare with, and the splits
     * those lines fall into.
     */
    private Map<String, Object> hf(String name, long campaign, Map<String, String> options, String promptColumn,
            List<String> mentions) throws Exception {
        Map<String, String> body = new LinkedHashMap<>(options);
        body.put("file", "hf");
        JsonPath job = job(campaign, body);
        Files.write(dir.resolve(name + ".hf.zip"), Api.as(researcher).get("/api/v1/exports/" + job.getInt("jobId")
                + "/file").then().statusCode(200).contentType("application/zip").extract().asByteArray());
        Map<String, String> streamed = new LinkedHashMap<>(options);
        streamed.put("split", "prompt");
        byte[] lines = download(campaign, streamed);
        Files.write(dir.resolve(name + "-split.jsonl"), lines);
        TreeSet<String> splits = new TreeSet<>();
        for (String line : new String(lines, StandardCharsets.UTF_8).split("\n")) {
            JsonNode row = JSON.readTree(line);
            splits.add(row.get("split").asText());
        }
        splits.add("train");
        return Map.of("zip", name + ".hf.zip", "jsonl", name + "-split.jsonl", "splits", List.copyOf(splits),
                "promptColumn", promptColumn, "cardMentions", mentions);
    }

    /** A signed link to a finished job's file. */
    private String link(long campaign, Map<String, String> options) throws InterruptedException {
        int jobId = job(campaign, options).getInt("jobId");
        return Api.as(researcher).contentType("application/json").post("/api/v1/exports/" + jobId + "/link").then()
                .statusCode(200).extract().path("url");
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
