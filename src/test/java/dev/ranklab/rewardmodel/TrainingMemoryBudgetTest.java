package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/**
 * A training holds no more than its memory budget: when the embeddings of every ranking in scope would not fit, whole
 * items are sampled, the same ones at every training, and what was left out is said.
 */
@QuarkusTest
class TrainingMemoryBudgetTest {

    private static final int ITEMS = 30;
    private static final int OVERLAP = 2;

    @Inject
    TrainingData data;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theShareThatFitsIsAllWhenEverythingFitsAndShrinksWithTheData() {
        MemoryBudget budget = new MemoryBudget(MemoryBudget.estimate(100, 300));
        assertEquals(1, budget.share(100, 300));
        double share = budget.share(1_000, 3_000);
        assertTrue(share > 0.05 && share < 0.15, "share " + share);
        assertEquals(0.01, new MemoryBudget(0).share(1_000_000, 3_000_000));
    }

    @Test
    void aTightBudgetSamplesWholeItemsTheSameOnesEachTime() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, OVERLAP, ITEMS);
        for (int annotator = 0; annotator < OVERLAP; annotator++) {
            String token = Api.newUser("ANNOTATOR");
            for (int i = 0; i < ITEMS; i++) {
                Tasks.rankThree(token, campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")));
            }
        }
        Long[] scope = {campaign};
        TrainingData.Loaded all = data.load(scope, new MemoryBudget(Long.MAX_VALUE));
        assertEquals(ITEMS * OVERLAP, all.examples().size());
        assertEquals(1, all.sampled());

        long half = MemoryBudget.CHUNK_BYTES
                + (MemoryBudget.estimate(ITEMS * OVERLAP, ITEMS * OVERLAP * 3) - MemoryBudget.CHUNK_BYTES) / 2;
        TrainingData.Loaded sampled = data.load(scope, new MemoryBudget(half));
        int kept = sampled.examples().size();
        assertTrue(kept > 0 && kept < ITEMS * OVERLAP, "kept " + kept + " of " + ITEMS * OVERLAP);
        assertTrue(sampled.sampled() > 0.4 && sampled.sampled() < 0.6, "share " + sampled.sampled());
        assertEquals(ITEMS * OVERLAP, sampled.inScope());
        assertEquals(all.watermark(), sampled.watermark(), "the watermark covers what was left out too");

        Map<Long, Long> itemOf = itemsOfRankings(campaign);
        Map<Long, Long> rankingsPerKeptItem = sampled.examples().stream()
                .collect(Collectors.groupingBy(e -> itemOf.get(e.rankingId()), Collectors.counting()));
        rankingsPerKeptItem.forEach((item, rankings) -> assertEquals(OVERLAP, rankings,
                "item " + item + " kept whole"));

        Set<Long> again = data.load(scope, new MemoryBudget(half)).examples().stream()
                .map(RankedExample::rankingId).collect(Collectors.toSet());
        assertEquals(sampled.examples().stream().map(RankedExample::rankingId).collect(Collectors.toSet()), again,
                "the same sample each time");
    }

    private Map<Long, Long> itemsOfRankings(long campaign) throws Exception {
        Map<Long, Long> itemOf = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection
                        .prepareStatement("SELECT id, item_id FROM rankings WHERE campaign_id = ?")) {
            statement.setLong(1, campaign);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    itemOf.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        return itemOf;
    }
}
