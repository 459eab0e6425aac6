package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.ranklab.datasets.HhRlhf;
import dev.ranklab.datasets.LabeledItem;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.items.ItemResponse;
import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/**
 * No skew between training and serving: the accuracy a training reports on its held-out pairs is what the score API
 * gives on the very same pairs, pair by pair. Real HH-harmless dialogues (multi-turn prompts, replies long enough to
 * be truncated), ranked through the queue, trained, then every held-out item sent to the API as a client would.
 */
@QuarkusTest
public class RewardModelSkewTest {

    private static final int ITEMS = 72;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TrainingData data;

    @Inject
    ModelFiles files;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theTrainersHeldOutAccuracyIsTheScoreApisPairByPair() throws Exception {
        List<LabeledItem> items = hhItems(ITEMS);
        long campaign = Api.newCampaign(Map.of("name", Api.unique("skew"), "kind", "RANKING", "responsesPerItem", 2,
                "overlap", 1));
        StringBuilder file = new StringBuilder();
        for (LabeledItem item : items) {
            file.append(JSON.writeValueAsString(Map.of("externalId", item.externalId(), "prompt", item.prompt(),
                    "responses", item.responses().stream().map(text -> Map.of("text", text)).toList())))
                    .append('\n');
        }
        Api.ndjson(file.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        rankAsTheDataSetDoes(campaign, items);

        // A fixed L2 strength spares the search over six: what is checked is the agreement of two paths, not the fit.
        int version = RewardModelApiTest.train(Map.of("campaignId", campaign, "fullRetrain", true, "l2", 500));
        JsonPath trained = RewardModelApiTest.awaitFinished(version);
        assertEquals("READY", trained.getString("status"), trained.prettify());

        // The trainer's side: the held-out pairs as the training read them, scored by the stored file.
        List<RankedExample> heldOut = data.load(new Long[]{campaign}, MemoryBudget.ofHeap(Runtime.getRuntime()))
                .examples().stream()
                .filter(e -> e.split() == Split.HELD_OUT).toList();
        List<Evaluation.Outcome> trainer;
        try (ScoringNetwork network = ScoringNetwork
                .load(files.read(RewardModelVersion.<RewardModelVersion>findById(version)))) {
            trainer = Evaluation.outcomes(network, heldOut);
        }
        assertTrue(trainer.size() >= 10, "held-out pairs: " + trainer.size());
        assertEquals(trainer.size(), trained.getInt("metrics.heldOut.pairs"));
        // RestAssured's JsonPath reads JSON numbers as floats: compare at float precision.
        assertEquals(trained.getDouble("heldOutAccuracy"), Evaluation.Summary.of(trainer, 1f).accuracy(), 1e-6);

        // The API's side: each held-out item as a client sends it, the stored prompt and response texts.
        String researcher = Api.newUser("RESEARCHER");
        double apiRight = 0;
        for (Evaluation.Outcome pair : trainer) {
            Stored stored = stored(pair.rankingId());
            List<Float> scores = Api.as(researcher).contentType(ContentType.JSON)
                    .body(Map.of("prompt", stored.prompt(), "responses", stored.responses()))
                    .post("/api/v1/reward-models/" + version + "/score").then().statusCode(200).extract()
                    .path("scores");
            float winner = scores.get(pair.winner());
            float loser = scores.get(pair.loser());
            double right = winner > loser ? 1 : winner == loser ? 0.5 : 0;
            assertEquals(pair.correct(), right, "ranking " + pair.rankingId() + ": trainer " + pair.winnerReward()
                    + " vs " + pair.loserReward() + ", API " + winner + " vs " + loser);
            assertEquals(pair.winnerReward(), winner, 1e-5f);
            assertEquals(pair.loserReward(), loser, 1e-5f);
            apiRight += right;
        }
        assertEquals(Evaluation.Summary.of(trainer, 1f).accuracy(), apiRight / trainer.size(), 1e-12);
    }

    static List<LabeledItem> hhItems(int count) throws Exception {
        Path path = Path.of("../shared/data/hh-harmless-train.jsonl.gz");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(path)), StandardCharsets.UTF_8))) {
            return HhRlhf.read(reader).items().subList(0, count);
        }
    }

    /** One annotator submits each item's ranking from the data set (the chosen reply first). */
    static void rankAsTheDataSetDoes(long campaign, List<LabeledItem> items) {
        Map<String, LabeledItem> byFirstResponse = new HashMap<>();
        items.forEach(item -> byFirstResponse.put(item.responses().get(0), item));
        String annotator = Api.newUser("ANNOTATOR");
        for (int i = 0; i < items.size(); i++) {
            Response task = Tasks.next(annotator, campaign);
            int taskId = task.then().statusCode(200).extract().path("taskId");
            List<Map<String, Object>> responses = task.then().extract().path("item.responses");
            Map<String, String> idOfText = new HashMap<>();
            responses.forEach(r -> idOfText.put((String) r.get("text"), (String) r.get("id")));
            String firstText = (String) responses.stream().filter(r -> r.get("id").equals("r1")).findFirst()
                    .orElseThrow().get("text");
            LabeledItem item = byFirstResponse.get(firstText);
            List<List<String>> ranking = new ArrayList<>();
            for (List<String> tier : item.rankings().get(0)) {
                ranking.add(tier.stream().map(id -> idOfText.get(item.responses().get(id.charAt(1) - '1')))
                        .toList());
            }
            Tasks.submit(annotator, taskId, Map.of("ranking", ranking, "ratings",
                    Map.of(ranking.get(0).get(0), 6, ranking.get(1).get(0), 2)), null).then().statusCode(201);
        }
    }

    private record Stored(List<ChatMessage> prompt, List<String> responses) {
    }

    private Stored stored(long rankingId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT i.prompt::text, i.responses::text FROM rankings r JOIN items i ON i.id = r.item_id "
                                + "WHERE r.id = ?")) {
            statement.setLong(1, rankingId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                List<ChatMessage> prompt = JSON.readValue(rows.getString(1), new TypeReference<>() {
                });
                List<ItemResponse> responses = JSON.readValue(rows.getString(2), new TypeReference<>() {
                });
                return new Stored(prompt, responses.stream().map(ItemResponse::text).toList());
            }
        }
    }
}
