package dev.ranklab.export;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/** Parquet exports read back by an independent reader (DuckDB) and compared with the JSON lines. */
@QuarkusTest
class ParquetExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path download(String token, long campaign, String format) throws Exception {
        byte[] body = Api.as(token).queryParam("format", format).queryParam("file", "parquet")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200)
                .contentType("application/vnd.apache.parquet")
                .header("Content-Disposition", containsString(".parquet")).extract().asByteArray();
        Path file = Files.createTempFile("export", ".parquet");
        file.toFile().deleteOnExit();
        Files.write(file, body);
        return file;
    }

    private static List<JsonNode> jsonl(String token, long campaign, String format) throws Exception {
        String body = new String(Api.as(token).queryParam("format", format)
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract().asByteArray(),
                StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static void rank(long campaign, List<List<String>> tiers, Map<String, Integer> ratings,
            Map<String, List<String>> flags) {
        Tasks.submitAsNewAnnotator(campaign, Map.of("ranking", tiers, "ratings", ratings, "flags", flags));
    }

    @Test
    void pairsInParquetMatchTheJsonLinesWithListAndStructColumns() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 2, 1);
        rank(campaign, List.of(List.of("r2"), List.of("r1", "r3")), Map.of("r1", 4, "r2", 6, "r3", 4), Map.of());
        rank(campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")), Map.of("r1", 7, "r2", 4, "r3", 1),
                Map.of("r3", List.of("hallucination")));
        String researcher = Api.newUser("RESEARCHER");
        List<JsonNode> expected = jsonl(researcher, campaign, "pairs");
        Path file = download(researcher, campaign, "pairs");
        try (Connection duck = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement s = duck.createStatement()) {
            Map<String, String> types = new HashMap<>();
            try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM '" + file + "'")) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
            assertTrue(types.get("prompt").startsWith("STRUCT") && types.get("prompt").endsWith("[]"),
                    types.toString());
            assertEquals("BIGINT", types.get("margin"));
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT prompt[1].content, chosen, rejected, margin, rankingId, "
                    + "chosenRating FROM '" + file + "'")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getInt(4) + "|"
                            + rs.getLong(5) + "|" + rs.getInt(6));
                }
            }
            List<String> fromJson = new ArrayList<>();
            for (JsonNode pair : expected) {
                fromJson.add(pair.get("prompt").get(0).get("content").asText() + "|" + pair.get("chosen").asText() + "|"
                        + pair.get("rejected").asText() + "|" + pair.get("margin").asInt() + "|"
                        + pair.get("rankingId").asLong() + "|" + pair.get("chosenRating").asInt());
            }
            assertEquals(2 + 3, rows.size());
            assertEquals(fromJson, rows);
        }
    }

    @Test
    void rankingsInParquetHaveTiersRatingsAndFlagsAsColumns() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        rank(campaign, List.of(List.of("r3"), List.of("r1", "r2")), Map.of("r1", 2, "r2", 3, "r3", 7),
                Map.of("r1", List.of("hallucination", "harmful_advice")));
        Path file = download(Api.newUser("RESEARCHER"), campaign, "rankings");
        try (Connection duck = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT tiers[1][1], len(tiers[2]), ratings.r3, flags.r1[2], "
                        + "responses[1].model, outcome, typeof(ratings), typeof(tiers) FROM '" + file + "'")) {
            assertTrue(rs.next());
            assertEquals("r3", rs.getString(1));
            assertEquals(2, rs.getInt(2));
            assertEquals(7, rs.getInt(3));
            assertEquals("harmful_advice", rs.getString(4));
            assertEquals("m1", rs.getString(5));
            assertEquals("SUBMITTED", rs.getString(6));
            assertEquals("STRUCT(r1 BIGINT, r2 BIGINT, r3 BIGINT)", rs.getString(7));
            assertEquals("VARCHAR[][]", rs.getString(8));
        }
    }

    @Test
    void anEmptyCampaignGivesAnEmptyFileWithItsSchema() throws Exception {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        Path file = download(Api.newUser("RESEARCHER"), campaign, "trl");
        try (Connection duck = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM '" + file + "'")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1));
        }
        Api.as(Api.newUser("RESEARCHER")).queryParam("format", "pairs").queryParam("file", "parquet")
                .queryParam("gzip", "true").get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400);
    }
}
