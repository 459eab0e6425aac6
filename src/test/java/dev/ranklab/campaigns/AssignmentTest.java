package dev.ranklab.campaigns;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

@QuarkusTest
class AssignmentTest {

    private static String usernameOf(String token) {
        return Api.as(token).get("/api/v1/users/me").then().statusCode(200).extract().path("username");
    }

    private static long userIdOf(String token) {
        return ((Number) Api.as(token).get("/api/v1/users/me").then().extract().path("id")).longValue();
    }

    private static void patch(long campaign, Map<String, Object> body, int status) {
        Api.asAdmin().contentType(ContentType.JSON).body(body).patch("/api/v1/campaigns/" + campaign).then()
                .statusCode(status);
    }

    @Test
    void aCampaignAssignedToNamedAnnotatorsIsInvisibleToOthers() {
        long campaign = Tasks.activeRankingCampaign(2, 3, 3);
        String alice = Api.newUser("ANNOTATOR");
        String bob = Api.newUser("ANNOTATOR");
        patch(campaign, Map.of("assignedAnnotators", List.of(usernameOf(alice))), 200);
        Api.asAdmin().get("/api/v1/campaigns/" + campaign).then()
                .body("assignedAnnotators", equalTo(List.of(usernameOf(alice))));

        Tasks.next(alice, campaign).then().statusCode(200);
        Tasks.next(bob, campaign).then().statusCode(404);
        Api.as(bob).get("/api/v1/campaigns").then().statusCode(200).body("id", not(hasItem((int) campaign)));
        Api.as(bob).get("/api/v1/campaigns/" + campaign).then().statusCode(404);
        Api.as(bob).get("/annotate").then().statusCode(200).body(not(containsString("/annotate/" + campaign + "\"")));
        // Annotators are not told who else works on it.
        Api.as(alice).get("/api/v1/campaigns/" + campaign).then().statusCode(200)
                .body("assignedAnnotators", equalTo(List.of()));

        // Emptying both lists opens it to everyone again.
        patch(campaign, Map.of("assignedAnnotators", List.of()), 200);
        Tasks.next(bob, campaign).then().statusCode(200);
    }

    @Test
    void groupsOpenACampaignToTheirMembers() {
        long campaign = Tasks.activeRankingCampaign(2, 3, 3);
        String member = Api.newUser("ANNOTATOR");
        String outsider = Api.newUser("ANNOTATOR");
        String group = "team-" + Math.abs(Api.unique("g").hashCode());
        patch(campaign, Map.of("assignedGroups", List.of(group.toUpperCase())), 200);
        Api.asAdmin().get("/api/v1/campaigns/" + campaign).then().body("assignedGroups", equalTo(List.of(group)));
        Tasks.next(member, campaign).then().statusCode(404);

        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("groups", List.of(group, "other")))
                .patch("/api/v1/users/" + userIdOf(member)).then().statusCode(200)
                .body("groups", equalTo(List.of("other", group)));
        Tasks.next(member, campaign).then().statusCode(200);
        Tasks.next(outsider, campaign).then().statusCode(404);
        // Researchers and admins see every campaign.
        Api.as(Api.newUser("RESEARCHER")).get("/api/v1/campaigns/" + campaign).then().statusCode(200);
    }

    @Test
    void unknownAnnotatorsAndBadGroupNamesAreRefusedNamingTheField() {
        long campaign = Api.newRankingCampaign(2);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("assignedAnnotators", List.of("nobody-here-xyz")))
                .patch("/api/v1/campaigns/" + campaign).then().statusCode(400)
                .body("detail", containsString("assignedAnnotators"))
                .body("detail", containsString("nobody-here-xyz"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("assignedGroups", List.of("no spaces!")))
                .patch("/api/v1/campaigns/" + campaign).then().statusCode(400)
                .body("detail", containsString("assignedGroups"));
        Api.asAdmin().get("/api/v1/campaigns/" + campaign).then().body("assignedGroups", equalTo(List.of()));
    }
}
