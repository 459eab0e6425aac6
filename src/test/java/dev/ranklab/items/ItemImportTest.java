package dev.ranklab.items;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

import dev.ranklab.support.Api;

@QuarkusTest
class ItemImportTest {

    private static ValidatableResponse importInto(long campaign, String body) {
        return Api.ndjson(body).post("/api/v1/campaigns/" + campaign + "/items").then();
    }

    private static int itemCount(long campaign) {
        return Api.asAdmin().get("/api/v1/campaigns/" + campaign).then().statusCode(200).extract().path("items");
    }

    /** The error reported for a file holding just this line, in a K=2 ranking campaign. */
    private static String rejection(String line) {
        long campaign = Api.newRankingCampaign(2);
        String error = importInto(campaign, line + "\n").statusCode(200)
                .body("imported", equalTo(0)).body("rejectedCount", equalTo(1))
                .extract().path("rejected[0].error");
        assertEquals(0, itemCount(campaign));
        return error;
    }

    @Test
    void storesValidLinesAndReportsEachRejectedLineByNumber() {
        long campaign = Api.newRankingCampaign(2);
        String file = String.join("\n",
                Api.rankingLine("a", 2),
                "not json",
                Api.rankingLine("b", 2),
                "",
                Api.rankingLine("c", 3),
                Api.rankingLine("d", 2)) + "\n";
        importInto(campaign, file).statusCode(200)
                .body("lines", equalTo(5))
                .body("imported", equalTo(3))
                .body("duplicates", equalTo(0))
                .body("rejectedCount", equalTo(2))
                .body("rejected", hasSize(2))
                .body("rejected[0].line", equalTo(2))
                .body("rejected[0].error", startsWith("not valid JSON"))
                .body("rejected[1].line", equalTo(5))
                .body("rejected[1].error", equalTo("responses: this campaign needs exactly 2, got 3"));
        assertEquals(3, itemCount(campaign));
    }

    @Test
    void reimportingAnExternalIdIsADuplicateNotASecondItem() {
        long campaign = Api.newRankingCampaign(2);
        importInto(campaign, Api.rankingLine("x", 2) + "\n" + Api.rankingLine("x", 2) + "\n").statusCode(200)
                .body("imported", equalTo(1)).body("duplicates", equalTo(1));
        importInto(campaign, Api.rankingLine("x", 2) + "\n" + Api.rankingLine("y", 2)).statusCode(200)
                .body("imported", equalTo(1)).body("duplicates", equalTo(1));
        assertEquals(2, itemCount(campaign));
        // Another campaign may hold the same externalId.
        long other = Api.newRankingCampaign(2);
        importInto(other, Api.rankingLine("x", 2)).statusCode(200).body("imported", equalTo(1));
    }

    @Test
    void linesWithoutExternalIdAreIdentifiedByContent() {
        long campaign = Api.newRankingCampaign(2);
        String line = "{\"prompt\":\"same\",\"responses\":[\"a\",\"b\"]}";
        importInto(campaign, line + "\n" + line + "\n{\"prompt\":\"other\",\"responses\":[\"a\",\"b\"]}\n")
                .statusCode(200).body("imported", equalTo(2)).body("duplicates", equalTo(1));
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200)
                .body("[0].externalId", startsWith("sha256:"));
    }

    @Test
    void storesPromptsAsChatMessagesAndResponsesWithStableIds() {
        long campaign = Api.newRankingCampaign(2);
        importInto(campaign, "{\"externalId\":\"chat\",\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},"
                + "{\"role\":\"user\",\"content\":\"Weather?\"}],\"responses\":[{\"text\":\"Sunny\",\"model\":\"m-a\"},"
                + "\"Rain\"],\"metadata\":{\"source\":\"unit\",\"n\":[1,2]}}").statusCode(200)
                .body("imported", equalTo(1));
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200)
                .body("[0].prompt", hasSize(4))
                .body("[0].prompt[0].role", equalTo("system"))
                .body("[0].prompt[3].content", equalTo("Weather?"))
                .body("[0].responses[0].id", equalTo("r1"))
                .body("[0].responses[0].model", equalTo("m-a"))
                .body("[0].responses[1].id", equalTo("r2"))
                .body("[0].responses[1].text", equalTo("Rain"))
                .body("[0].metadata.source", equalTo("unit"));
    }

    @Test
    void aStringPromptIsOneUserMessage() {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("demo"), "kind", "DEMONSTRATION"));
        importInto(campaign, "{\"externalId\":\"d1\",\"prompt\":\"Write a haiku\"}").statusCode(200)
                .body("imported", equalTo(1));
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items").then()
                .body("[0].prompt", equalTo(List.of(Map.of("role", "user", "content", "Write a haiku"))))
                .body("[0].responses", hasSize(0));
    }

    @Test
    void everyLineRuleHasItsOwnMessage() {
        assertEquals("each line must be a JSON object", rejection("[1,2]"));
        assertEquals("each line must be a JSON object", rejection("\"text\""));
        assertEquals("unknown field 'respones' (allowed: externalId, prompt, responses, metadata, gold)",
                rejection("{\"prompt\":\"q\",\"respones\":[\"a\",\"b\"]}"));
        assertEquals("prompt: required (a string, or a list of {role, content} messages)",
                rejection("{\"responses\":[\"a\",\"b\"]}"));
        assertEquals("prompt: must be a string or a list of {role, content} messages",
                rejection("{\"prompt\":5,\"responses\":[\"a\",\"b\"]}"));
        assertEquals("prompt: must not be empty", rejection("{\"prompt\":\"  \",\"responses\":[\"a\",\"b\"]}"));
        assertEquals("prompt: the message list is empty", rejection("{\"prompt\":[],\"responses\":[\"a\",\"b\"]}"));
        assertEquals("prompt[0].role: must be system, user or assistant",
                rejection("{\"prompt\":[{\"role\":\"robot\",\"content\":\"x\"}],\"responses\":[\"a\",\"b\"]}"));
        assertEquals("prompt[0].content: required, a string",
                rejection("{\"prompt\":[{\"role\":\"user\"}],\"responses\":[\"a\",\"b\"]}"));
        assertEquals("prompt[0]: unknown field 'name' (allowed: content, role)",
                rejection(
                        "{\"prompt\":[{\"role\":\"user\",\"content\":\"x\",\"name\":\"n\"}],\"responses\":[\"a\",\"b\"]}"));
        assertEquals("prompt: the last message must be the user's (the responses answer it)",
                rejection(
                        "{\"prompt\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"}],"
                                + "\"responses\":[\"a\",\"b\"]}"));
        assertEquals("responses: this campaign needs exactly 2, got 1",
                rejection("{\"prompt\":\"q\",\"responses\":[\"a\"]}"));
        assertEquals("responses: must be a list of {text, model} objects",
                rejection("{\"prompt\":\"q\",\"responses\":\"a\"}"));
        assertEquals("responses[1].text: must not be empty",
                rejection("{\"prompt\":\"q\",\"responses\":[\"a\",{\"text\":\"\"}]}"));
        assertEquals("responses[0]: must be an object {text, model} or a string",
                rejection("{\"prompt\":\"q\",\"responses\":[1,\"b\"]}"));
        assertEquals("responses[0].model: must be a string",
                rejection("{\"prompt\":\"q\",\"responses\":[{\"text\":\"a\",\"model\":3},\"b\"]}"));
        assertEquals("metadata: must be a JSON object",
                rejection("{\"prompt\":\"q\",\"responses\":[\"a\",\"b\"],\"metadata\":[1]}"));
        assertEquals("externalId: must be a string",
                rejection("{\"externalId\":{\"a\":1},\"prompt\":\"q\",\"responses\":[\"a\",\"b\"]}"));
        assertEquals("externalId: must be 1 to 200 characters",
                rejection("{\"externalId\":\"" + "x".repeat(201) + "\",\"prompt\":\"q\",\"responses\":[\"a\",\"b\"]}"));
        assertEquals("prompt: contains a NUL character, which PostgreSQL cannot store",
                rejection("{\"prompt\":\"a\\u0000b\",\"responses\":[\"a\",\"b\"]}"));
        assertEquals("metadata: contains a NUL character, which PostgreSQL cannot store",
                rejection("{\"prompt\":\"q\",\"responses\":[\"a\",\"b\"],\"metadata\":{\"k\":\"\\u0000\"}}"));
        assertEquals("prompt[0].content: at most 200000 characters, got 200001",
                rejection("{\"prompt\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(200_001)
                        + "\"}],\"responses\":[\"a\",\"b\"]}"));
    }

    @Test
    void demonstrationCampaignsTakeNoResponses() {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("demo"), "kind", "DEMONSTRATION"));
        importInto(campaign, "{\"prompt\":\"q\",\"responses\":[\"a\"]}\n{\"prompt\":\"q2\",\"responses\":[]}")
                .statusCode(200).body("imported", equalTo(1))
                .body("rejected[0].error", equalTo("responses: a DEMONSTRATION campaign takes no responses"));
    }

    @Test
    void invalidUtf8IsRejectedPerLine() {
        long campaign = Api.newRankingCampaign(2);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes((Api.rankingLine("ok1", 2) + "\n").getBytes(StandardCharsets.UTF_8));
        file.writeBytes("{\"prompt\":\"caf".getBytes(StandardCharsets.UTF_8));
        file.writeBytes(new byte[]{(byte) 0xC3, (byte) 0x28});
        file.writeBytes("\",\"responses\":[\"a\",\"b\"]}\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes((Api.rankingLine("ok2", 2) + "\r\n").getBytes(StandardCharsets.UTF_8));
        Api.asAdmin().contentType("application/x-ndjson").body(file.toByteArray())
                .post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200)
                .body("imported", equalTo(2))
                .body("rejected[0].line", equalTo(2))
                .body("rejected[0].error", equalTo("not valid UTF-8"));
    }

    @Test
    void overlongLinesAreSkippedWithoutBufferingThem() {
        long campaign = Api.newRankingCampaign(2);
        String huge = "{\"prompt\":\"" + "y".repeat(1_100_000) + "\",\"responses\":[\"a\",\"b\"]}";
        importInto(campaign, huge + "\n" + Api.rankingLine("after", 2) + "\n").statusCode(200)
                .body("imported", equalTo(1))
                .body("rejected[0].line", equalTo(1))
                .body("rejected[0].error", equalTo("line is longer than 1048576 bytes"));
    }

    @Test
    void deeplyNestedJsonIsRejected() {
        String nested = "[".repeat(500) + "]".repeat(500);
        String error = rejection("{\"prompt\":\"q\",\"responses\":[\"a\",\"b\"],\"metadata\":{\"x\":" + nested + "}}");
        assertEquals(true, error.startsWith("not valid JSON"), error);
    }

    @Test
    void archivedAndUnknownCampaignsTakeNoItems() {
        long campaign = Api.newRankingCampaign(2);
        Api.setStatus(campaign, "ARCHIVED");
        importInto(campaign, Api.rankingLine("a", 2)).statusCode(409).body("detail", containsString("archived"));
        importInto(987654321L, Api.rankingLine("a", 2)).statusCode(404);
    }

    @Test
    void wrongContentTypeIs415() {
        long campaign = Api.newRankingCampaign(2);
        Api.asAdmin().contentType("text/csv").body("a,b").post("/api/v1/campaigns/" + campaign + "/items").then()
                .statusCode(415).contentType("application/problem+json");
    }

    @Test
    void importsAreRecordedWithTheirReports() {
        long campaign = Api.newRankingCampaign(2);
        importInto(campaign, Api.rankingLine("a", 2) + "\nbroken\n").statusCode(200);
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/imports").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].imported", equalTo(1))
                .body("[0].rejectedCount", equalTo(1))
                .body("[0].rejected[0].line", equalTo(2));
    }

    @Test
    void itemsArePagedInImportOrder() {
        long campaign = Api.newRankingCampaign(2);
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            file.append(Api.rankingLine("p" + i, 2)).append('\n');
        }
        importInto(campaign, file.toString()).statusCode(200).body("imported", equalTo(25));
        List<Integer> first = Api.asAdmin().queryParam("limit", 10).get("/api/v1/campaigns/" + campaign + "/items")
                .then().statusCode(200).body("", hasSize(10)).body("[0].externalId", equalTo("p0"))
                .extract().path("id");
        Api.asAdmin().queryParam("limit", 10).queryParam("after", first.get(9))
                .get("/api/v1/campaigns/" + campaign + "/items").then().body("[0].externalId", equalTo("p10"));
        Api.asAdmin().queryParam("limit", 5000).get("/api/v1/campaigns/" + campaign + "/items").then()
                .statusCode(400).body("detail", containsString("limit"));
    }
}
