package dev.ranklab.tasks;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

@QuarkusTest
class AnnotatorCapTest {

    @Test
    void anAnnotatorStopsAtTheCapAndOthersCarryOn() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 5);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("maxTasksPerAnnotator", 2))
                .patch("/api/v1/campaigns/" + campaign).then().statusCode(200)
                .body("maxTasksPerAnnotator", equalTo(2));
        String busy = Api.newUser("ANNOTATOR");
        Tasks.submitShownOrder(busy, Tasks.next(busy, campaign)).then().statusCode(201);
        Tasks.submitShownOrder(busy, Tasks.next(busy, campaign)).then().statusCode(201);
        Tasks.next(busy, campaign).then().statusCode(204);
        // The home page says so instead of offering to continue.
        Api.as(busy).get("/annotate").then().statusCode(200)
                .body(containsString("You have done your 2 tasks here"));
        String other = Api.newUser("ANNOTATOR");
        Tasks.next(other, campaign).then().statusCode(200);

        // 0 lifts the cap; a negative one is refused naming the field.
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("maxTasksPerAnnotator", -1))
                .patch("/api/v1/campaigns/" + campaign).then().statusCode(400)
                .body("detail", containsString("maxTasksPerAnnotator"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("maxTasksPerAnnotator", 0))
                .patch("/api/v1/campaigns/" + campaign).then().statusCode(200)
                .body("maxTasksPerAnnotator", nullValue());
        Tasks.next(busy, campaign).then().statusCode(200);
    }
}
