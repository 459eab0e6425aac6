package dev.ranklab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/**
 * Exports taken while 16 annotators submit: every ranking whole or absent, no comparison missing or doubled, and no
 * later snapshot with fewer rankings than an earlier one.
 */
@QuarkusTest
class ExportDuringSubmissionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL base;

    private HttpResponse<String> send(String token, HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    /** Checks an export of pairs and returns how many rankings it holds. */
    private static int checkPairs(String body) throws Exception {
        Map<String, Integer> pairsPerRanking = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode pair = JSON.readTree(line);
            String ranking = pair.get("rankingId").asText();
            assertTrue(seen.add(ranking + ":" + pair.get("chosenId").asText() + ">" + pair.get("rejectedId").asText()),
                    "a comparison appears twice");
            pairsPerRanking.merge(ranking, 1, Integer::sum);
        }
        pairsPerRanking.forEach((ranking, count) -> assertEquals(3, count, "ranking " + ranking + " is cut"));
        return pairsPerRanking.size();
    }

    /**
     * The annotators stop before submitting past half the items until three exports have been taken after the first
     * submission, so at least those exports overlap the submissions and see some but not all of the work, whatever
     * the timing; the exporter keeps exporting until the last submission.
     */
    @Test
    void exportsTakenDuringSubmissionsAreWholeSnapshots() throws Exception {
        int items = 160;
        long campaign = Tasks.activeRankingCampaign(3, 1, items);
        List<String> annotators = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            annotators.add(Api.newUser("ANNOTATOR"));
        }
        String researcher = Api.newUser("RESEARCHER");
        AtomicInteger acknowledged = new AtomicInteger();
        CountDownLatch firstSubmission = new CountDownLatch(1);
        CountDownLatch exportsDuring = new CountDownLatch(3);
        AtomicBoolean submitting = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(17);
        List<Future<Integer>> workers = new ArrayList<>();
        for (String token : annotators) {
            workers.add(pool.submit(() -> {
                int done = 0;
                while (true) {
                    HttpResponse<String> next = send(token, HttpRequest.newBuilder(
                            uri("/api/v1/campaigns/" + campaign + "/tasks/next")));
                    if (next.statusCode() == 204) {
                        return done;
                    }
                    JsonNode task = JSON.readTree(next.body());
                    List<String> ids = new ArrayList<>();
                    task.get("item").get("responses").forEach(r -> ids.add(r.get("id").asText()));
                    if (acknowledged.get() >= items / 2) {
                        assertTrue(exportsDuring.await(120, TimeUnit.SECONDS), "no export was taken");
                    }
                    HttpResponse<String> submitted = send(token, HttpRequest.newBuilder(
                            uri("/api/v1/tasks/" + task.get("taskId").asLong() + "/submission"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Tasks.rankingFor(ids)))));
                    assertEquals(201, submitted.statusCode(), submitted.body());
                    acknowledged.incrementAndGet();
                    firstSubmission.countDown();
                    done++;
                }
            }));
        }
        Future<List<Integer>> exporter = pool.submit(() -> {
            assertTrue(firstSubmission.await(120, TimeUnit.SECONDS), "nobody submitted");
            List<Integer> sizes = new ArrayList<>();
            while (submitting.get()) {
                HttpResponse<String> export = send(researcher, HttpRequest.newBuilder(
                        uri("/api/v1/campaigns/" + campaign + "/export?format=pairs")));
                assertEquals(200, export.statusCode());
                sizes.add(checkPairs(export.body()));
                exportsDuring.countDown();
            }
            return sizes;
        });
        int submitted = 0;
        try {
            for (Future<Integer> worker : workers) {
                submitted += worker.get();
            }
        } finally {
            submitting.set(false);
        }
        List<Integer> sizes = exporter.get();
        pool.shutdown();
        assertEquals(items, submitted);
        // Up to 15 annotators may pass the halfway check together: the first three exports hold at most items/2 + 15.
        assertTrue(sizes.size() >= 3 && sizes.get(2) > 0 && sizes.get(2) < items,
                "three exports saw part of the work while it was submitted: " + sizes);
        for (int i = 1; i < sizes.size(); i++) {
            assertTrue(sizes.get(i) >= sizes.get(i - 1), "later snapshots never lose rankings: " + sizes);
        }
        HttpResponse<String> last = send(researcher, HttpRequest.newBuilder(
                uri("/api/v1/campaigns/" + campaign + "/export?format=pairs")));
        assertEquals(items, checkPairs(last.body()));
    }
}
