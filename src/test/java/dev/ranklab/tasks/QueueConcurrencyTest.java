package dev.ranklab.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/** Many annotators at once against real PostgreSQL: nothing lost, nothing doubled, overlap exact. */
@QuarkusTest
class QueueConcurrencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().build();

    @TestHTTPResource("/")
    URL base;

    @Inject
    EntityManager em;

    private HttpResponse<String> send(String token, String method, String path, String body, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .header("Authorization", "Bearer " + token);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String rankingJson(JsonNode task) throws Exception {
        List<String> ids = new ArrayList<>();
        task.get("item").get("responses").forEach(r -> ids.add(r.get("id").asText()));
        return JSON.writeValueAsString(Tasks.rankingFor(ids));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void sixtyFourAnnotatorsFinishEveryItemExactlyOverlapTimes(int overlap) throws Exception {
        int annotators = 64;
        int items = 60;
        long campaign = Tasks.activeRankingCampaign(3, overlap, items);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < annotators; i++) {
            tokens.add(Api.newUser("ANNOTATOR"));
        }
        AtomicInteger acknowledged = new AtomicInteger();
        Set<String> acknowledgedIds = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(annotators);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (String token : tokens) {
            results.add(pool.submit((Callable<Integer>) () -> {
                start.await();
                int done = 0;
                while (true) {
                    HttpResponse<String> next = send(token, "GET", "/api/v1/campaigns/" + campaign + "/tasks/next",
                            null, null);
                    if (next.statusCode() == 204) {
                        return done;
                    }
                    assertEquals(200, next.statusCode(), next.body());
                    JsonNode task = JSON.readTree(next.body());
                    long taskId = task.get("taskId").asLong();
                    String key = "k-" + taskId;
                    HttpResponse<String> submitted = send(token, "POST", "/api/v1/tasks/" + taskId + "/submission",
                            rankingJson(task), key);
                    assertEquals(201, submitted.statusCode(), submitted.body());
                    // A retry of the same request, as a flaky network would send it: the same answer.
                    HttpResponse<String> retried = send(token, "POST", "/api/v1/tasks/" + taskId + "/submission",
                            rankingJson(task), key);
                    assertEquals(submitted.body(), retried.body());
                    acknowledged.incrementAndGet();
                    assertTrue(acknowledgedIds.add(JSON.readTree(submitted.body()).get("id").asText()));
                    done++;
                }
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> result : results) {
            total += result.get();
        }
        pool.shutdown();
        assertEquals(items * overlap, total);
        assertEquals(items * overlap, acknowledged.get());
        assertEquals(items * overlap, acknowledgedIds.size());
        assertEquals(List.of((long) items), perItemCheck(campaign, overlap));
    }

    /** Every item has exactly {@code overlap} rankings, all from distinct annotators: the count of such items. */
    @Transactional
    List<Long> perItemCheck(long campaign, int overlap) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT i.id, count(r.id), count(DISTINCT r.annotator_id), i.finished, i.leased, i.complete
                FROM items i LEFT JOIN rankings r ON r.item_id = i.id
                WHERE i.campaign_id = ?1 GROUP BY i.id""").setParameter(1, campaign).getResultList();
        long exact = 0;
        for (Object[] row : rows) {
            long rankings = ((Number) row[1]).longValue();
            long distinct = ((Number) row[2]).longValue();
            assertEquals(overlap, rankings, "item " + row[0]);
            assertEquals(overlap, distinct, "item " + row[0]);
            assertEquals(overlap, ((Number) row[3]).intValue(), "finished counter of item " + row[0]);
            assertEquals(0, ((Number) row[4]).intValue(), "leased counter of item " + row[0]);
            assertEquals(true, row[5]);
            exact++;
        }
        return List.of(exact);
    }

    @Test
    void theSameTaskOpenInTwoTabsAtOnceIsOneLease() throws Exception {
        long campaign = Tasks.activeRankingCampaign(2, 1, 20);
        String token = Api.newUser("ANNOTATOR");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> tabs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tabs.add(pool.submit(() -> {
                start.await();
                HttpResponse<String> next = send(token, "GET", "/api/v1/campaigns/" + campaign + "/tasks/next", null,
                        null);
                assertEquals(200, next.statusCode(), next.body());
                return JSON.readTree(next.body()).get("taskId").asText();
            }));
        }
        start.countDown();
        Set<String> taskIds = new HashSet<>();
        for (Future<String> tab : tabs) {
            taskIds.add(tab.get());
        }
        pool.shutdown();
        assertEquals(1, taskIds.size(), "every tab shows the one leased task");
    }

    @Test
    void aDoubleClickStoresOneRanking() throws Exception {
        long campaign = Tasks.activeRankingCampaign(4, 1, 1);
        String token = Api.newUser("ANNOTATOR");
        JsonNode task = JSON.readTree(send(token, "GET", "/api/v1/campaigns/" + campaign + "/tasks/next", null, null)
                .body());
        long taskId = task.get("taskId").asLong();
        String body = rankingJson(task);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> clicks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clicks.add(pool.submit(() -> {
                start.await();
                return send(token, "POST", "/api/v1/tasks/" + taskId + "/submission", body, "click-key");
            }));
        }
        start.countDown();
        Set<String> answers = new HashSet<>();
        for (Future<HttpResponse<String>> click : clicks) {
            HttpResponse<String> response = click.get();
            assertEquals(201, response.statusCode(), response.body());
            answers.add(response.body());
        }
        pool.shutdown();
        assertEquals(1, answers.size(), "every click got the first answer");
        assertEquals(1L, countRankings(taskId));
    }

    @Transactional
    long countRankings(long taskId) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM rankings WHERE task_id = ?1")
                .setParameter(1, taskId).getSingleResult()).longValue();
    }

}
