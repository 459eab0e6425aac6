package dev.ranklab.export;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

@QuarkusTest
class ExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON lines of an export's body. */
    static List<JsonNode> lines(byte[] body) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static byte[] export(String token, long campaign, String format) {
        return Api.as(token).queryParam("format", format).get("/api/v1/campaigns/" + campaign + "/export").then()
                .statusCode(200).contentType("application/x-ndjson").extract().asByteArray();
    }

    /** Leases the campaign's only item for a new annotator and submits {@code tiers} with ratings. */
    private static void rank(long campaign, List<List<String>> tiers, Map<String, Integer> ratings) {
        Tasks.submitAsNewAnnotator(campaign, Map.of("ranking", tiers, "ratings", ratings, "comment", "c"));
    }

    @Test
    void pairsCoverEveryComparisonOnceWithTierDistanceAsMargin() throws IOException {
        long campaign = Tasks.activeRankingCampaign(4, 2, 1);
        Map<String, Integer> ratings = Map.of("r1", 7, "r2", 5, "r3", 5, "r4", 1);
        rank(campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3"), List.of("r4")), ratings);
        rank(campaign, List.of(List.of("r1"), List.of("r2", "r3"), List.of("r4")), ratings);
        String researcher = Api.newUser("RESEARCHER");
        List<JsonNode> pairs = lines(export(researcher, campaign, "pairs"));
        assertEquals(6 + 5, pairs.size(), "K=4 without ties gives 6 pairs; one tie among 4 removes one");
        Set<String> seen = new HashSet<>();
        int marginTwo = 0;
        for (JsonNode pair : pairs) {
            assertTrue(seen.add(pair.get("rankingId").asText() + pair.get("chosenId").asText()
                    + pair.get("rejectedId").asText()), "no pair twice");
            assertTrue(pair.get("margin").asInt() >= 1);
            assertEquals("question i0", pair.get("prompt").get(0).get("content").asText());
            assertEquals("answer " + pair.get("chosenId").asText().substring(1) + " to i0",
                    pair.get("chosen").asText());
            assertTrue(pair.get("annotator").asText().startsWith("annotator-"));
            if (pair.get("margin").asInt() == 2) {
                marginTwo++;
            }
        }
        // strict: r1>r3, r2>r4 have margin 2 (r1>r4 has 3); tied: r1>r4 has margin 2
        assertEquals(3, marginTwo);
        assertFalse(pairs.stream().anyMatch(p -> Set.of(p.get("chosenId").asText(), p.get("rejectedId").asText())
                .equals(Set.of("r2", "r3")) && p.get("margin").asInt() == 0));

        List<JsonNode> trl = lines(export(researcher, campaign, "trl"));
        assertEquals(pairs.size(), trl.size());
        JsonNode first = trl.get(0);
        assertEquals(List.of("prompt", "chosen", "rejected", "margin", "itemId", "rankingId", "annotator", "split"),
                fieldNames(first));
        assertEquals(pairs.get(0).get("margin"), first.get("margin"));
        assertEquals(pairs.get(0).get("annotator"), first.get("annotator"));
        assertEquals("assistant", first.get("chosen").get(0).get("role").asText());
        assertEquals(pairs.get(0).get("chosen").asText(), first.get("chosen").get(0).get("content").asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void rankingsCarryEverythingAndSkipsWithTheirReason() throws IOException {
        long campaign = Tasks.activeRankingCampaign(2, 2, 1);
        rank(campaign, List.of(List.of("r2"), List.of("r1")), Map.of("r1", 2, "r2", 6));
        String skipper = Api.newUser("ANNOTATOR");
        int taskId = Tasks.next(skipper, campaign).then().extract().path("taskId");
        Tasks.submit(skipper, taskId, Map.of("outcome", "SKIPPED", "reason", "not my field"), null).then()
                .statusCode(201);
        List<JsonNode> rankings = lines(export(Api.newUser("RESEARCHER"), campaign, "rankings"));
        assertEquals(2, rankings.size());
        JsonNode ranked = rankings.get(0);
        assertEquals("SUBMITTED", ranked.get("outcome").asText());
        assertEquals("r2", ranked.get("tiers").get(0).get(0).asText());
        assertEquals(6, ranked.get("ratings").get("r2").asInt());
        assertEquals("m1", ranked.get("responses").get(0).get("model").asText());
        assertTrue(ranked.get("leaseSeconds").isInt());
        JsonNode skipped = rankings.get(1);
        assertEquals("SKIPPED", skipped.get("outcome").asText());
        assertEquals("not my field", skipped.get("reason").asText());
        assertTrue(skipped.get("tiers").isNull());
    }

    @Test
    void theSameExportTwiceIsByteIdenticalAndGzipHoldsTheSameBytes() throws IOException {
        long campaign = Tasks.activeRankingCampaign(3, 1, 3);
        for (int i = 0; i < 3; i++) {
            rank(campaign, List.of(List.of("r1", "r2"), List.of("r3")), Map.of("r1", 5, "r2", 5, "r3", 2));
        }
        String researcher = Api.newUser("RESEARCHER");
        byte[] once = export(researcher, campaign, "pairs");
        byte[] twice = export(researcher, campaign, "pairs");
        assertArrayEquals(once, twice);
        assertEquals(3 * 2, lines(once).size());
        Response zipped = Api.as(researcher).queryParam("format", "pairs").queryParam("gzip", "true")
                .get("/api/v1/campaigns/" + campaign + "/export");
        zipped.then().statusCode(200).contentType("application/gzip")
                .header("Content-Disposition", containsString("pairs.jsonl.gz"));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.asByteArray()))) {
            assertArrayEquals(once, in.readAllBytes());
        }
    }

    @Test
    void annotatorsArePseudonymsUnlessAnAdminAsksForNames() throws IOException {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        rank(campaign, List.of(List.of("r1"), List.of("r2")), Map.of("r1", 6, "r2", 3));
        String pseudonym = lines(export(Api.newUser("RESEARCHER"), campaign, "pairs")).get(0).get("annotator")
                .asText();
        assertTrue(pseudonym.matches("annotator-[0-9a-f]{12}"), pseudonym);
        String name = lines(Api.asAdmin().queryParam("format", "pairs").queryParam("realNames", "true")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract().asByteArray())
                .get(0).get("annotator").asText();
        assertTrue(name.startsWith("annotator-") && !name.equals(pseudonym), name);
        Api.as(Api.newUser("RESEARCHER")).queryParam("format", "pairs").queryParam("realNames", "true")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(403);
    }

    @Test
    void sftLinesEndWithTheDemonstration() throws IOException {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("sft"), "kind", "DEMONSTRATION"));
        Api.ndjson("{\"externalId\":\"s1\",\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief\"},"
                + "{\"role\":\"user\",\"content\":\"Capital of France?\"}]}\n")
                .post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        String annotator = Api.newUser("ANNOTATOR");
        int taskId = Tasks.next(annotator, campaign).then().extract().path("taskId");
        Tasks.submit(annotator, taskId, Map.of("demonstration", "Paris."), null).then().statusCode(201);
        List<JsonNode> sft = lines(export(Api.newUser("RESEARCHER"), campaign, "sft"));
        assertEquals(1, sft.size());
        JsonNode messages = sft.get(0).get("messages");
        assertEquals(3, messages.size());
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("assistant", messages.get(2).get("role").asText());
        assertEquals("Paris.", messages.get(2).get("content").asText());
        assertEquals(List.of("messages", "itemId", "demonstrationId", "annotator", "split"), fieldNames(sft.get(0)));
    }

    @Test
    void demonstrationsAreStoredAndExportedByteForByte() throws IOException {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("sft"), "kind", "DEMONSTRATION",
                "demonstrationMinChars", 5, "demonstrationMaxChars", 40));
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            items.append("{\"externalId\":\"d").append(i).append("\",\"prompt\":\"Write code ").append(i)
                    .append("\"}\n");
        }
        Api.ndjson(items.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        List<String> written = List.of("    print('hi')\n    return 1\n", "Done. \n\n", "\tTabbed 🙂 ");
        for (String text : written) {
            String annotator = Api.newUser("ANNOTATOR");
            int taskId = Tasks.next(annotator, campaign).then().extract().path("taskId");
            Tasks.submit(annotator, taskId, Map.of("demonstration", text), null).then().statusCode(201);
        }
        List<String> exported = lines(export(Api.newUser("RESEARCHER"), campaign, "sft")).stream()
                .map(line -> line.get("messages").get(1).get("content").asText()).toList();
        assertEquals(written, exported);

        // The limits count the trimmed text: padding neither reaches the minimum nor breaks the maximum.
        String annotator = Api.newUser("ANNOTATOR");
        long other = Api.newCampaign(Map.of("name", Api.unique("sft"), "kind", "DEMONSTRATION",
                "demonstrationMinChars", 5, "demonstrationMaxChars", 10));
        Api.ndjson("{\"prompt\":\"p\"}\n").post("/api/v1/campaigns/" + other + "/items").then().statusCode(200);
        Api.setStatus(other, "ACTIVE");
        int taskId = Tasks.next(annotator, other).then().extract().path("taskId");
        Tasks.submit(annotator, taskId, Map.of("demonstration", "  ab      "), null).then().statusCode(400)
                .body(containsString("at least 5 characters, got 2"));
        Tasks.submit(annotator, taskId, Map.of("demonstration", "\n\n0123456789\n\n"), null).then().statusCode(201);
    }

    @Test
    void aSkipsAnswerNamesNoOtherRecord() {
        long campaign = Tasks.activeRankingCampaign(2, 2, 2);
        rank(campaign, List.of(List.of("r1"), List.of("r2")), Map.of("r1", 6, "r2", 2));
        String skipper = Api.newUser("ANNOTATOR");
        int taskId = Tasks.next(skipper, campaign).then().extract().path("taskId");
        Map<String, Object> skip = Map.of("outcome", "SKIPPED", "reason", "not my field");
        Tasks.submit(skipper, taskId, skip, "k1").then().statusCode(201).body("id", org.hamcrest.Matchers.nullValue())
                .body("taskId", org.hamcrest.Matchers.equalTo(taskId))
                .body("outcome", org.hamcrest.Matchers.equalTo("SKIPPED"));
        // The retry's answer is the same.
        Tasks.submit(skipper, taskId, skip, "k1").then().statusCode(201).body("id", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void optionsThatDoNotApplyAreRefusedByNameAndNotAudited() throws IOException {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        rank(campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")), Map.of("r1", 7, "r2", 3, "r3", 2));
        String researcher = Api.newUser("RESEARCHER");
        // margin applies to trl: its lines carry it.
        assertEquals(List.of(4, 5, 1), filtered(researcher, campaign, "trl", Map.of("margin", "ratings")).stream()
                .map(p -> p.get("margin").asInt()).toList());
        assertEquals(List.of(1, 2, 1), filtered(researcher, campaign, "trl", Map.of()).stream()
                .map(p -> p.get("margin").asInt()).toList());
        int before = downloads(campaign);
        for (Map<String, String> refused : List.of(Map.of("format", "rankings", "margin", "ratings"),
                Map.of("format", "pairs", "trlFormat", "standard"), Map.of("format", "pairs", "skips", "false"),
                Map.of("format", "trl", "ktoThreshold", "4"), Map.of("format", "pairs", "seed", "3"),
                Map.of("format", "pairs", "colour", "red"))) {
            String name = refused.keySet().stream().filter(k -> !k.equals("format")).findFirst().orElseThrow();
            Api.as(researcher).queryParams(refused).get("/api/v1/campaigns/" + campaign + "/export").then()
                    .statusCode(400).body("detail", containsString(name));
            Api.as(researcher).contentType("application/json").body(refused)
                    .post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(400)
                    .body("detail", containsString(name));
        }
        assertEquals(before, downloads(campaign), "a refused export is no download");
        filtered(researcher, campaign, "pairs", Map.of());
        assertEquals(before + 1, downloads(campaign));
    }

    private static int downloads(long campaign) {
        List<Map<String, Object>> entries = Api.asAdmin().queryParam("action", "export.download")
                .queryParam("limit", 1000).get("/api/v1/audit").then().statusCode(200).extract().path("");
        return (int) entries.stream().filter(e -> ("campaign:" + campaign).equals(e.get("target"))).count();
    }

    private static List<JsonNode> filtered(String token, long campaign, String format, Map<String, String> filters)
            throws IOException {
        var request = Api.as(token).queryParam("format", format);
        for (var filter : filters.entrySet()) {
            request = request.queryParam(filter.getKey(), filter.getValue());
        }
        return lines(request.get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract()
                .asByteArray());
    }

    @Test
    void filtersChooseByTimeAnnotatorFlagsAndSkips() throws IOException {
        long campaign = Tasks.activeRankingCampaign(2, 3, 1);
        rank(campaign, List.of(List.of("r1"), List.of("r2")), Map.of("r1", 6, "r2", 2));
        String flagger = Api.newUser("ANNOTATOR");
        int taskId = Tasks.next(flagger, campaign).then().extract().path("taskId");
        Tasks.submit(flagger, taskId, Map.of("ranking", List.of(List.of("r2"), List.of("r1")), "ratings",
                Map.of("r1", 1, "r2", 5), "flags", Map.of("r1", List.of("hallucination"))), null).then()
                .statusCode(201);
        String skipper = Api.newUser("ANNOTATOR");
        int skipped = Tasks.next(skipper, campaign).then().extract().path("taskId");
        Tasks.submit(skipper, skipped, Map.of("outcome", "SKIPPED", "reason", "unclear"), null).then().statusCode(201);
        String researcher = Api.newUser("RESEARCHER");

        List<JsonNode> all = filtered(researcher, campaign, "rankings", Map.of());
        assertEquals(3, all.size());
        assertEquals(2, filtered(researcher, campaign, "rankings", Map.of("skips", "false")).size());
        assertEquals(1, filtered(researcher, campaign, "pairs", Map.of("withFlags", "hallucination")).size());
        assertEquals("r2", filtered(researcher, campaign, "pairs", Map.of("withFlags", "hallucination")).get(0)
                .get("chosenId").asText());
        assertEquals(1, filtered(researcher, campaign, "pairs", Map.of("withoutFlags", "hallucination,toxic")).size());
        String first = all.get(0).get("annotator").asText();
        assertEquals(1, filtered(researcher, campaign, "pairs", Map.of("annotators", first)).size());
        assertEquals(first, filtered(researcher, campaign, "pairs", Map.of("annotators", first)).get(0)
                .get("annotator").asText());
        assertEquals(1, filtered(researcher, campaign, "pairs", Map.of("excludeAnnotators", first)).size());
        String firstSubmitted = all.get(0).get("submittedAt").asText();
        List<JsonNode> early = filtered(researcher, campaign, "pairs", Map.of("submittedBefore", firstSubmitted));
        assertEquals(1, early.size());
        assertEquals(all.get(0).get("rankingId").asLong(), early.get(0).get("rankingId").asLong());
        assertEquals(1, filtered(researcher, campaign, "pairs", Map.of("submittedAfter", firstSubmitted)).size());
        assertEquals(0, filtered(researcher, campaign, "trl", Map.of("submittedAfter", "2999-01-01T00:00:00Z"))
                .size());
        assertEquals(2, filtered(researcher, campaign, "trl", Map.of("submittedAfter", "2000-01-01T00:00:00Z"))
                .size());
    }

    @Test
    void consensusMergesEachItemsRankingsWithItsAgreement() throws IOException {
        long campaign = Tasks.activeRankingCampaign(3, 3, 1);
        Map<String, Integer> ratings = Map.of("r1", 4, "r2", 4, "r3", 4);
        rank(campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")), ratings);
        rank(campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")), ratings);
        rank(campaign, List.of(List.of("r3"), List.of("r2"), List.of("r1")), ratings);
        List<JsonNode> lines = filtered(Api.newUser("RESEARCHER"), campaign, "rankings",
                Map.of("aggregate", "consensus"));
        assertEquals(1, lines.size());
        JsonNode line = lines.get(0);
        assertEquals("[[\"r1\"],[\"r2\"],[\"r3\"]]", line.get("tiers").toString());
        assertEquals(3, line.get("rankings").asInt());
        assertEquals(0.6667, line.get("agreement").asDouble(), 1e-9);
        assertEquals("question i0", line.get("prompt").get(0).get("content").asText());
        // The consensus as pairs, TRL pairs and KTO lines: made from the merged tiers, of no one ranking.
        String researcher = Api.newUser("RESEARCHER");
        List<JsonNode> pairs = filtered(researcher, campaign, "pairs", Map.of("aggregate", "consensus"));
        assertEquals(List.of("r1>r2:1", "r1>r3:2", "r2>r3:1"), pairs.stream().map(p -> p.get("chosenId").asText()
                + ">" + p.get("rejectedId").asText() + ":" + p.get("margin").asInt()).toList());
        assertTrue(pairs.get(0).get("rankingId").isNull() && pairs.get(0).get("annotator").isNull());
        assertEquals(3, filtered(researcher, campaign, "trl", Map.of("aggregate", "consensus")).size());
        List<JsonNode> kto = filtered(researcher, campaign, "kto", Map.of("aggregate", "consensus"));
        assertEquals(List.of("r1:true", "r3:false"), kto.stream().map(k -> k.get("responseId").asText() + ":"
                + k.get("label").asBoolean()).toList());
        Api.as(researcher).queryParam("format", "pairs").queryParam("aggregate", "consensus")
                .queryParam("margin", "ratings").get("/api/v1/campaigns/" + campaign + "/export").then()
                .statusCode(400).body("detail", containsString("margin"));
    }

    @Test
    void marginsCanComeFromRatingsAndTrlCanUsePlainStrings() throws IOException {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        rank(campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")), Map.of("r1", 7, "r2", 3, "r3", 2));
        String researcher = Api.newUser("RESEARCHER");
        List<JsonNode> pairs = filtered(researcher, campaign, "pairs", Map.of("margin", "ratings"));
        assertEquals(List.of(4, 5, 1), pairs.stream().map(p -> p.get("margin").asInt()).toList());
        List<JsonNode> standard = filtered(researcher, campaign, "trl", Map.of("trlFormat", "standard"));
        assertEquals(3, standard.size());
        assertEquals("question i0", standard.get(0).get("prompt").asText());
        assertEquals("answer 1 to i0", standard.get(0).get("chosen").asText());
        assertEquals("answer 2 to i0", standard.get(0).get("rejected").asText());

        long conversation = Api
                .newCampaign(Map.of("name", Api.unique("chat"), "kind", "RANKING", "responsesPerItem", 2));
        Api.ndjson("{\"prompt\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"},"
                + "{\"role\":\"user\",\"content\":\"c\"}],\"responses\":[\"x\",\"y\"]}")
                .post("/api/v1/campaigns/" + conversation + "/items").then().statusCode(200);
        Api.as(researcher).queryParam("format", "trl").queryParam("trlFormat", "standard")
                .get("/api/v1/campaigns/" + conversation + "/export").then().statusCode(400)
                .body("detail", containsString("single-turn"));
        Api.as(researcher).queryParam("format", "pairs").queryParam("margin", "stars")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400)
                .body("detail", containsString("margin must be tiers or ratings"));
    }

    @Test
    void badParametersAreNamed() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String researcher = Api.newUser("RESEARCHER");
        Api.as(researcher).get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400)
                .body("detail", containsString("format is required"));
        Api.as(researcher).queryParam("format", "csv").get("/api/v1/campaigns/" + campaign + "/export").then()
                .statusCode(400).body("detail", containsString("format must be"));
        Api.as(researcher).queryParam("format", "sft").get("/api/v1/campaigns/" + campaign + "/export").then()
                .statusCode(400).body("detail", containsString("does not apply to a RANKING campaign"));
        Api.as(researcher).queryParam("format", "pairs").queryParam("gzip", "maybe")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400)
                .body("detail", containsString("gzip must be true or false"));
        Api.as(researcher).queryParam("format", "pairs").queryParam("submittedAfter", "yesterday")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400)
                .body("detail", containsString("submittedAfter must be an ISO-8601 time"));
        Api.as(researcher).queryParam("format", "rankings").queryParam("skips", "some")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400)
                .body("detail", containsString("skips must be true or false"));
        Api.as(Api.newUser("ANNOTATOR")).queryParam("format", "pairs")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(403);
        Api.as(researcher).queryParam("format", "pairs").get("/api/v1/campaigns/987654321/export").then()
                .statusCode(404);
    }
}
