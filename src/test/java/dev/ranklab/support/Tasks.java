package dev.ranklab.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Helpers for queue tests: lease, and build a complete ranking for a leased task. */
public final class Tasks {

    private Tasks() {
    }

    public static Response next(String token, long campaign) {
        return Api.as(token).get("/api/v1/campaigns/" + campaign + "/tasks/next");
    }

    public static List<String> responseIds(Response task) {
        return task.then().extract().path("item.responses.id");
    }

    /** A strict ranking in the shown order, rated 7 down, consistent with the ranking. */
    public static Map<String, Object> rankingFor(List<String> ids) {
        List<List<String>> tiers = new ArrayList<>();
        Map<String, Integer> ratings = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            tiers.add(List.of(ids.get(i)));
            ratings.put(ids.get(i), Math.max(1, 7 - i));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ranking", tiers);
        body.put("ratings", ratings);
        return body;
    }

    public static Response submit(String token, long taskId, Object body, String idempotencyKey) {
        var request = Api.as(token).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/v1/tasks/" + taskId + "/submission");
    }

    /** Submits a ranking of a leased task consistent with the order in which its responses were shown. */
    public static Response submitShownOrder(String token, Response task) {
        int taskId = task.then().statusCode(200).extract().path("taskId");
        return submit(token, taskId, rankingFor(responseIds(task)), null);
    }

    /** A new annotator leases the campaign's next task and submits {@code body} for it. */
    public static void submitAsNewAnnotator(long campaign, Map<String, Object> body) {
        String annotator = Api.newUser("ANNOTATOR");
        int taskId = next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        submit(annotator, taskId, body, null).then().statusCode(201);
    }

    /** A campaign with K responses per item, the given overlap and items, already active. */
    public static long activeRankingCampaign(int k, int overlap, int items) {
        long id = Api.newCampaign(Map.of("name", Api.unique("queue"), "kind", "RANKING", "responsesPerItem", k,
                "overlap", overlap));
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < items; i++) {
            file.append(Api.rankingLine("i" + i, k)).append('\n');
        }
        Api.ndjson(file.toString()).post("/api/v1/campaigns/" + id + "/items").then().statusCode(200);
        Api.setStatus(id, "ACTIVE");
        return id;
    }

    /** The annotator leases the campaign's next item and submits this ranking of r1…r3, every response rated 4. */
    public static void rankThree(String annotator, long campaign, List<List<String>> ranking) {
        int taskId = next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        submit(annotator, taskId, Map.of("ranking", ranking, "ratings", Map.of("r1", 4, "r2", 4, "r3", 4)), null)
                .then().statusCode(201);
    }

    /**
     * A K = 3, overlap 2 campaign of two items ranked by two annotators: they agree fully on the first item
     * (agreement 1) and differ on (r2, r3) in the second (agreement 2/3).
     */
    public static long oneAgreedOneDisputedItem() {
        long campaign = activeRankingCampaign(3, 2, 2);
        String first = Api.newUser("ANNOTATOR");
        String second = Api.newUser("ANNOTATOR");
        List<List<String>> order = List.of(List.of("r1"), List.of("r2"), List.of("r3"));
        rankThree(first, campaign, order);
        rankThree(first, campaign, order);
        rankThree(second, campaign, order);
        rankThree(second, campaign, List.of(List.of("r1"), List.of("r3"), List.of("r2")));
        return campaign;
    }
}
