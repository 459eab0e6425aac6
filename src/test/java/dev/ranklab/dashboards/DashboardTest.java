package dev.ranklab.dashboards;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

@QuarkusTest
class DashboardTest {

    @Test
    void countsProgressPaceAnnotatorsAndRatingsFromRealWork() {
        // 4 items × overlap 2 = 8 annotations needed.
        long campaign = Tasks.activeRankingCampaign(3, 2, 4);
        String first = Api.newUser("ANNOTATOR");
        String second = Api.newUser("ANNOTATOR");
        for (int i = 0; i < 3; i++) {
            Tasks.rankThree(first, campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")));
        }
        Tasks.rankThree(second, campaign, List.of(List.of("r1"), List.of("r2", "r3")));
        int skipped = Tasks.next(second, campaign).then().statusCode(200).extract().path("taskId");
        Tasks.submit(second, skipped, Map.of("outcome", "SKIPPED", "reason", "not my language"), null).then()
                .statusCode(201);

        JsonPath d = Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/dashboard?realNames=true").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(8, d.getInt("progress.annotationsNeeded"));
        assertEquals(4, d.getInt("progress.annotationsDone"));
        assertEquals(4, d.getInt("progress.items"));
        assertEquals(1, d.getInt("progress.complete"), "the one item both ranked");
        // All four today: counted over one day (work began less than a day ago), not spread over seven.
        assertEquals(4.0, d.getDouble("progress.perDayLast7Days"), 1e-6);
        // 4 left at 4 a day: tomorrow.
        assertEquals(LocalDate.now(ZoneOffset.UTC).plusDays(1).toString(), d.getString("progress.finishEstimate"));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(30, d.getList("perDay").size());
        assertEquals(today, d.getString("perDay[29].day"));
        assertEquals(4, d.getInt("perDay[29].submitted"));
        assertEquals(1, d.getInt("perDay[29].skipped"));
        assertEquals(4, d.getList("perHour.submitted", Integer.class).stream().mapToInt(Integer::intValue).sum());

        assertEquals(2, d.getList("annotators").size());
        assertEquals(3, d.getInt("annotators[0].submitted"));
        assertEquals(0, d.getInt("annotators[0].skipped"));
        assertEquals(1, d.getInt("annotators[1].submitted"));
        assertEquals(1, d.getInt("annotators[1].skipped"));
        // On the shared item they agree on r1 > r2 and r1 > r3, and not on r2 against r3: 2 of 3.
        assertEquals(2.0 / 3, d.getDouble("annotators[0].agreement"), 1e-6);

        // rankThree rates every response 4: twelve 4s, nothing else.
        assertEquals(7, d.getList("ratings").size());
        assertEquals(12, d.getInt("ratings.find { it.label == '4' }.count"));
        assertEquals(0, d.getInt("ratings.find { it.label == '1' }.count"));
    }

    @Test
    void anEmptyCampaignHasNoPaceAndNoEstimate() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 2);
        Api.as(Api.newUser("RESEARCHER")).get("/api/v1/campaigns/" + campaign + "/dashboard").then()
                .statusCode(200).body("progress.annotationsDone", equalTo(0))
                .body("progress.finishEstimate", nullValue()).body("annotators", hasSize(0))
                .body("perHour", hasSize(48)).body("rewardModel", hasSize(0));
        Api.as(Api.newUser("RESEARCHER")).get("/api/v1/campaigns/" + campaign + "/dashboard?realNames=true").then()
                .statusCode(403);
        Api.as(Api.newUser("ANNOTATOR")).get("/api/v1/campaigns/" + campaign + "/dashboard").then()
                .statusCode(403);
        Api.as(Api.newUser("RESEARCHER")).get("/campaigns/" + campaign + "/dashboard").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/webjars/chart.js/"));
        Api.asAdmin().get("/webjars/chart.js/4.4.7/dist/chart.umd.js").then().statusCode(200)
                .body(notNullValue());
    }
}
