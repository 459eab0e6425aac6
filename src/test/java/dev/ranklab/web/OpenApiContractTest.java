package dev.ranklab.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/** The published OpenAPI document says what the API really answers, so that a generated client can trust it. */
@QuarkusTest
class OpenApiContractTest {

    private static JsonNode document() throws Exception {
        return new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract()
                .asString());
    }

    @Test
    void successCodesAreTheRealOnes() throws Exception {
        JsonNode paths = document().get("paths");
        assertTrue(paths.at("/~1api~1v1~1campaigns/post/responses").has("201"));
        assertFalse(paths.at("/~1api~1v1~1campaigns/post/responses").has("200"));
        assertTrue(paths.at("/~1api~1v1~1reward-models~1train/post/responses").has("202"));
        JsonNode next = paths.at("/~1api~1v1~1campaigns~1{id}~1tasks~1next/get/responses");
        assertTrue(next.has("200") && next.has("204"), next.toString());
        assertTrue(paths.at("/~1api~1v1~1webhooks~1{id}/delete/responses").has("204"));
        assertTrue(paths.at("/~1api~1v1~1webhooks~1{id}~1test/post/responses").has("202"));
        assertTrue(paths.at("/~1api~1v1~1webhooks~1{id}~1deliveries~1{deliveryId}~1retry/post/responses").has("202"));
    }

    @Test
    void everyErrorIsAProblemDocumentAndEveryBodyHasAnExample() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document().get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String name = op.getKey() + " " + path.getKey();
                JsonNode responses = op.getValue().get("responses");
                for (Iterator<Map.Entry<String, JsonNode>> codes = responses.fields(); codes.hasNext();) {
                    Map.Entry<String, JsonNode> code = codes.next();
                    if ((code.getKey().startsWith("4") || code.getKey().equals("default"))
                            && !code.getValue().path("content").has(Problem.MEDIA_TYPE)) {
                        wrong.add(name + " " + code.getKey() + " is not problem+json");
                    }
                }
                if (!responses.has("default")) {
                    wrong.add(name + " has no default answer");
                }
                if (path.getKey().contains("{") && !responses.has("404")) {
                    wrong.add(name + " does not document 404");
                }
                for (JsonNode media : op.getValue().path("requestBody").path("content")) {
                    if (!media.has("example") && !media.has("examples")) {
                        wrong.add(name + " has a request body without an example");
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void schemasSayWhatTheServerChecks() throws Exception {
        JsonNode document = document();
        JsonNode schemas = document.at("/components/schemas");
        for (String internal : List.of("EngineImpl", "TemplateInstance", "AtomicLong", "Charset", "Locale")) {
            assertFalse(schemas.has(internal), internal + " is not part of the API");
        }
        assertEquals(false, schemas.at("/CampaignInput/additionalProperties").asBoolean(true));
        assertTrue(schemas.at("/CampaignView/properties/responsesPerItem").toString().contains("null"),
                schemas.at("/CampaignView").toString());
        for (String setting : List.of("ratingsRequired", "skipReasons", "skipReasonRequired")) {
            assertTrue(schemas.at("/CampaignInput/properties").has(setting), setting + " in CampaignInput");
            assertTrue(schemas.at("/CampaignView/properties").has(setting), setting + " in CampaignView");
        }
        JsonNode prompt = schemas.at("/ScoreRequest/properties/prompt/oneOf");
        assertEquals(2, prompt.size(), schemas.at("/ScoreRequest").toString());
        JsonNode bearer = document.at("/components/securitySchemes/bearer");
        assertEquals("bearer", bearer.get("scheme").asText());
        assertFalse(bearer.has("bearerFormat"), bearer.toString());
        assertTrue(document.at("/paths/~1api~1v1~1auth~1token/post/responses").has("429"));
        assertEquals("{}", schemas.at("/AuditEntry/properties/details").toString(),
                "an audit entry's details: any JSON");
    }

    @Test
    void requestFieldsCarryTheServersRules() throws Exception {
        JsonNode document = document();
        JsonNode schemas = document.at("/components/schemas");
        JsonNode campaign = schemas.get("CampaignInput");
        assertEquals(List.of("name", "kind"), list(campaign.get("required")));
        assertEquals(1, campaign.at("/properties/overlap/minimum").asInt(), campaign.toString());
        assertEquals(10, campaign.at("/properties/overlap/maximum").asInt(), campaign.toString());
        assertEquals(1440, campaign.at("/properties/leaseMinutes/maximum").asInt(), campaign.toString());
        assertTrue(campaign.at("/properties/overlap/type").toString().contains("null"), "null means absent");
        assertEquals(List.of("RANKING", "DEMONSTRATION"), list(schemas.at("/CampaignKind/enum")));
        // PATCH changes only what it sends: the same fields, none required.
        JsonNode patch = document.at("/paths/~1api~1v1~1campaigns~1{id}/patch/requestBody/content/application~1json"
                + "/schema/$ref");
        assertEquals("#/components/schemas/CampaignInputPatch", patch.asText());
        assertFalse(schemas.get("CampaignInputPatch").has("required"));
        assertEquals(campaign.get("properties").size(), schemas.at("/CampaignInputPatch/properties").size());
        // ... and no defaults: a generated client sends a default for every field left out, which on PATCH would
        // reset what is stored (overlap back to 1).
        assertEquals(1, campaign.at("/properties/overlap/default").asInt(), "creating says what is assumed");
        schemas.fields().forEachRemaining(schema -> {
            if (schema.getKey().endsWith("Patch")) {
                schema.getValue().path("properties").fields().forEachRemaining(field -> assertFalse(
                        field.getValue().has("default"), schema.getKey() + "." + field.getKey() + " has a default"));
            }
        });
        JsonNode user = schemas.get("CreateUser");
        assertEquals(List.of("username", "password", "role"), list(user.get("required")));
        assertEquals(10, user.at("/properties/password/minLength").asInt());
        assertEquals(200, user.at("/properties/password/maxLength").asInt());
        assertEquals(List.of("ANNOTATOR", "RESEARCHER", "ADMIN"), list(schemas.at("/Role/enum")));
        assertEquals(List.of("item.completed", "campaign.completed", "reward_model.promoted"),
                list(schemas.at("/WebhookEvent/enum")));
        JsonNode audit = document.at("/paths/~1api~1v1~1audit/get/parameters");
        for (JsonNode parameter : audit) {
            if (parameter.get("name").asText().equals("limit")) {
                assertEquals(1000, parameter.at("/schema/maximum").asInt(), parameter.toString());
            }
        }
    }

    @Test
    void exportsHaveTheirRealMediaTypesAndEveryOperationAnId() throws Exception {
        JsonNode document = document();
        List<String> streamed = List.of("application/x-ndjson", "application/gzip", "application/vnd.apache.parquet");
        assertEquals(streamed,
                names(document.at("/paths/~1api~1v1~1campaigns~1{id}~1export/get/responses/200/content")));
        // A job's file may also be a Hugging Face dataset folder, zipped.
        List<String> jobFiles = new ArrayList<>(streamed);
        jobFiles.add("application/zip");
        assertEquals(jobFiles,
                names(document.at("/paths/~1api~1v1~1exports~1{jobId}~1file/get/responses/200/content")));
        assertEquals(jobFiles,
                names(document.at("/paths/~1api~1v1~1exports~1{jobId}~1file/get/responses/206/content")));
        // Logging in: 401 for a wrong password, 429 with Retry-After, never a conflict.
        JsonNode login = document.at("/paths/~1api~1v1~1auth~1token/post/responses");
        assertTrue(login.has("401") && login.at("/429/headers").has("Retry-After"), login.toString());
        assertFalse(login.has("409"), login.toString());
        // The signed link serves the same file, and says when the link itself is wrong.
        JsonNode signed = document.at("/paths/~1api~1v1~1export-files~1{jobId}~1{expires}~1{signature}~1{name}/get"
                + "/responses");
        assertEquals(jobFiles, names(signed.at("/200/content")), signed.toString());
        for (String code : List.of("206", "403", "410", "416")) {
            assertTrue(signed.has(code), code + " in " + signed);
        }
        List<String> missing = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!op.getValue().has("operationId")) {
                missing.add(op.getKey() + " " + path.getKey());
            }
        }));
        assertEquals(List.of(), missing);
    }

    @Test
    void componentsHaveNamesThatSayWhatTheyAreAndBodiesTheirOwnSchemas() throws Exception {
        JsonNode document = document();
        // A generated client names its classes after the components: Result1 or Request says nothing.
        List<String> vague = new ArrayList<>();
        document.at("/components/schemas").fieldNames().forEachRemaining(name -> {
            if (name.matches(".*\\d") || List.of("Result", "Request", "Source", "Entry", "Rejection", "Work", "Sample",
                    "Defaults", "Progress", "Rendered", "JobView", "LinkView", "TestResult", "Standing")
                    .contains(name)) {
                vague.add(name);
            }
        });
        assertEquals(List.of(), vague);
        assertEquals("#/components/schemas/ExportJobRequest", document.at("/paths/~1api~1v1~1campaigns~1{id}~1exports"
                + "/post/requestBody/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/ExportLinkRequest", document.at("/paths/~1api~1v1~1exports~1{jobId}~1link"
                + "/post/requestBody/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/TrainingQueued", document.at("/paths/~1api~1v1~1reward-models~1train"
                + "/post/responses/202/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/RewardModelVersion", document.at("/paths/~1api~1v1~1reward-models~1{version}"
                + "/get/responses/200/content/application~1json/schema/$ref").asText());
        JsonNode status = document.at("/components/schemas/CampaignInput/properties/status");
        assertFalse(status.toString().contains("object"), "a campaign's status is one of its values: " + status);
    }

    private static List<String> list(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> names(JsonNode object) {
        List<String> values = new ArrayList<>();
        object.fieldNames().forEachRemaining(values::add);
        return values;
    }
}
