package dev.ranklab.leaderboard;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;
import dev.ranklab.support.Tasks;

/**
 * The leaderboard on a hand-made case. Item 1 has responses of models A, B, C (r1, r2, r3) and is ranked six times;
 * item 2 has A, A, B and is ranked once (A's two responses say nothing about A against A). Counting by hand, with
 * ties as half a win each way: A–B 5.5 : 2.5, A–C 5 : 1, B–C 3.5 : 2.5.
 * <p>
 * The expected ratings were computed independently, by Newton's method on the log-likelihood rather than the MM
 * iteration the code uses, with this numpy script:
 *
 * <pre>
 * import numpy as np
 * w = np.array([[0, 5.5, 5.0], [2.5, 0, 3.5], [1.0, 2.5, 0]])  # w[i][j]: wins of i over j, ties as half
 * m = len(w); theta = np.zeros(m); sig = lambda x: 1 / (1 + np.exp(-x))
 * for _ in range(100):  # plus one virtual tie per model against a reference at theta = 0
 *     g = np.zeros(m); H = np.zeros((m, m))
 *     for i in range(m):
 *         p0 = sig(theta[i]); g[i] += 0.5 - p0; H[i, i] -= p0 * (1 - p0)
 *         for j in range(m):
 *             if i == j: continue
 *             n = w[i, j] + w[j, i]; p = sig(theta[i] - theta[j])
 *             g[i] += w[i, j] - n * p; H[i, i] -= n * p * (1 - p); H[i, j] += n * p * (1 - p)
 *     theta -= np.linalg.solve(H, g)
 * print(1000 + 400 / np.log(10) * (theta - theta.mean()))
 * # [1124.6649139   975.85764442  899.47744167]
 * </pre>
 */
@QuarkusTest
class LeaderboardTest {

    private static final double A = 1124.6649139;
    private static final double B = 975.85764442;
    private static final double C = 899.47744167;

    @Test
    void bradleyTerryMatchesTheIndependentComputation() {
        double[] ratings = BradleyTerry.ratings(new double[][]{{0, 5.5, 5}, {2.5, 0, 3.5}, {1, 2.5, 0}});
        assertEquals(A, ratings[0], 1e-6);
        assertEquals(B, ratings[1], 1e-6);
        assertEquals(C, ratings[2], 1e-6);
    }

    @Test
    void aModelThatWonEverythingStaysFinite() {
        double[] ratings = BradleyTerry.ratings(new double[][]{{0, 10}, {0, 0}});
        assertTrue(Double.isFinite(ratings[0]) && ratings[0] > ratings[1], java.util.Arrays.toString(ratings));
    }

    @Test
    void theCampaignLeaderboardCountsRatesAndMatchesTheHandMadeCase() {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("models"), "kind", "RANKING",
                "responsesPerItem", 3, "overlap", 6));
        Api.ndjson(
                """
                        {"externalId":"one","prompt":"q1","responses":[{"text":"a","model":"model-a"},{"text":"b","model":"model-b"},{"text":"c","model":"model-c"}]}
                        {"externalId":"two","prompt":"q2","responses":[{"text":"a1","model":"model-a"},{"text":"a2","model":"model-a"},{"text":"b","model":"model-b"}]}
                        """)
                .post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        List<List<List<String>>> itemOne = List.of(
                List.of(List.of("r1"), List.of("r2"), List.of("r3")),
                List.of(List.of("r1"), List.of("r3"), List.of("r2")),
                List.of(List.of("r2"), List.of("r1"), List.of("r3")),
                List.of(List.of("r1", "r2"), List.of("r3")),
                List.of(List.of("r3"), List.of("r1"), List.of("r2")),
                List.of(List.of("r1"), List.of("r2", "r3")));
        for (List<List<String>> ranking : itemOne) {
            Tasks.rankThree(Api.newUser("ANNOTATOR"), campaign, ranking);
        }
        Tasks.rankThree(Api.newUser("ANNOTATOR"), campaign, List.of(List.of("r1"), List.of("r3"), List.of("r2")));

        String researcher = Api.newUser("RESEARCHER");
        String answer = Api.as(researcher).get("/api/v1/campaigns/" + campaign + "/models").then().statusCode(200)
                .body("models.model", contains("model-a", "model-b", "model-c"))
                .body("models.rank", contains(1, 2, 3))
                .body("models.wins", contains(10, 5, 3)).body("models.losses", contains(3, 7, 8))
                .body("models.ties", contains(1, 2, 1)).body("models.comparisons", contains(14, 14, 12))
                .body("matrixModels", contains("model-a", "model-b", "model-c"))
                .body("winRates[0][0]", nullValue()).body("bootstrapSamples", equalTo(200)).extract().asString();
        // Numbers as doubles: RestAssured reads them as floats by default, too coarse for the ratings.
        JsonPath board = new JsonPath(answer).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertEquals(7, board.getInt("rankings"));
        assertEquals(20, board.getInt("comparisons"));
        assertEquals(0.75, board.getDouble("models[0].winRate"), 1e-9);
        assertEquals(6 / 14.0, board.getDouble("models[1].winRate"), 1e-9);
        assertEquals(3.5 / 12, board.getDouble("models[2].winRate"), 1e-9);
        assertEquals(A, board.getDouble("models[0].rating"), 1e-6);
        assertEquals(B, board.getDouble("models[1].rating"), 1e-6);
        assertEquals(C, board.getDouble("models[2].rating"), 1e-6);
        assertEquals(5.5 / 8, board.getDouble("winRates[0][1]"), 1e-9);
        assertEquals(5 / 6.0, board.getDouble("winRates[0][2]"), 1e-9);
        assertEquals(2.5 / 8, board.getDouble("winRates[1][0]"), 1e-9);
        assertEquals(2.5 / 6, board.getDouble("winRates[2][1]"), 1e-9);
        for (int i = 0; i < 3; i++) {
            double rating = board.getDouble("models[" + i + "].rating");
            double low = board.getDouble("models[" + i + "].ratingLow");
            double high = board.getDouble("models[" + i + "].ratingHigh");
            assertTrue(low < rating && rating < high, low + " < " + rating + " < " + high);
        }
        // Fixed seed: the same data gives the same interval.
        assertEquals(answer, Api.as(researcher).get("/api/v1/campaigns/" + campaign + "/models").asString());

        String session = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        String page = RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                .get("/campaigns/" + campaign + "/models").then().statusCode(200).extract().asString();
        assertTrue(page.contains("model-a") && page.contains("1125") && page.contains("69%"), page);
        // The dashboard's panel: the same leaders with their win rates and intervals, and the way to the page.
        String dashboard = RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                .get("/campaigns/" + campaign + "/dashboard").then().statusCode(200).extract().asString();
        String panel = dashboard.substring(dashboard.indexOf("id=\"models\""));
        panel = panel.substring(0, panel.indexOf("</section>"));
        assertTrue(panel.indexOf("model-a") < panel.indexOf("model-b") && panel.indexOf("model-b") < panel.indexOf(
                "model-c") && panel.contains("75%") && panel.contains("1125") && panel.contains(
                        Math.round(board.getDouble("models[0].ratingLow")) + " – " + Math.round(board.getDouble(
                                "models[0].ratingHigh")))
                && panel.contains("href=\"/campaigns/" + campaign + "/models\""), panel);
        long empty = Api.newRankingCampaign(2);
        String none = RestAssured.given().cookie(Forms.SESSION_COOKIE, session)
                .get("/campaigns/" + empty + "/dashboard").then().statusCode(200).extract().asString();
        assertTrue(none.contains("No comparisons between models yet"), none);
        Api.as(Api.newUser("ANNOTATOR")).get("/api/v1/campaigns/" + campaign + "/models").then().statusCode(403);
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        assertEquals(1.05, LeaderboardService.percentile(new double[]{1, 2, 3}, 0.025), 1e-12);
        assertEquals(2.95, LeaderboardService.percentile(new double[]{1, 2, 3}, 0.975), 1e-12);
    }
}
