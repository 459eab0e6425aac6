package dev.ranklab.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Tasks;

/** The agreement stored on each item stays what item_agreement() computes, also when rankings commit at once. */
@QuarkusTest
class StoredAgreementTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void twoRankingsOfOneItemCommittedAtOnceAreBothCounted() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 3, 1);
        long item = rankedOnce(campaign);
        long secondTask = leased(campaign);
        long thirdTask = leased(campaign);

        try (Connection one = dataSource.getConnection(); Connection two = dataSource.getConnection()) {
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            insertRanking(one, secondTask, "[[\"r3\"],[\"r2\"],[\"r1\"]]");
            // The second insert's trigger waits for the first's lock on the item, then must see its ranking.
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try {
                    insertRanking(two, thirdTask, "[[\"r1\"],[\"r3\"],[\"r2\"]]");
                    two.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitBlockedInsert();
            one.commit();
            second.get(30, TimeUnit.SECONDS);
        }
        try (Connection check = dataSource.getConnection();
                PreparedStatement statement = check.prepareStatement(
                        "SELECT agreement, item_agreement(id), (SELECT count(*) FROM rankings WHERE item_id = ?) "
                                + "FROM items WHERE id = ?")) {
            statement.setLong(1, item);
            statement.setLong(2, item);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                assertEquals(3, row.getInt(3));
                // Pairs (r1,r2), (r1,r3), (r2,r3) over ranking pairs A–B, A–C, B–C: 0 + 2 + 1 of 9.
                assertEquals(1.0 / 3, row.getDouble(2), 1e-9);
                assertNotNull(row.getObject(1));
                assertEquals(row.getDouble(2), row.getDouble(1), 1e-9, "the stored agreement missed a ranking");
            }
        }
    }

    @Test
    void aRankingIsStoredWhileAnotherTransactionHoldsTheItemsForeignKeyLock() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 2, 1);
        long item = rankedOnce(campaign);
        long secondTask = leased(campaign);
        try (Connection other = dataSource.getConnection(); Connection submitting = dataSource.getConnection()) {
            // What an insert of a task or ranking for the item holds until it commits: its foreign-key check's lock.
            other.setAutoCommit(false);
            try (PreparedStatement keyShare = other
                    .prepareStatement("SELECT 1 FROM items WHERE id = ? FOR KEY SHARE")) {
                keyShare.setLong(1, item);
                keyShare.execute();
            }
            // The trigger's lock must not wait for it (it did with FOR UPDATE, and two such waits deadlocked).
            try (PreparedStatement timeout = submitting.prepareStatement("SET statement_timeout = '10s'")) {
                timeout.execute();
            }
            insertRanking(submitting, secondTask, "[[\"r2\"],[\"r1\"],[\"r3\"]]");
            try (PreparedStatement reset = submitting.prepareStatement("RESET statement_timeout")) {
                reset.execute();
            }
            other.rollback();
        }
        try (Connection check = dataSource.getConnection();
                PreparedStatement statement = check.prepareStatement("SELECT agreement FROM items WHERE id = ?")) {
            statement.setLong(1, item);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                // r1 > r2 > r3 against r2 > r1 > r3: (r1,r3) and (r2,r3) agree, (r1,r2) does not.
                assertEquals(2.0 / 3, row.getDouble(1), 1e-9);
            }
        }
    }

    /** Waits until the second insert is waiting for the first's lock, so the test covers that case every time. */
    private void awaitBlockedInsert() throws Exception {
        try (Connection look = dataSource.getConnection();
                PreparedStatement statement = look.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO rankings%'")) {
            for (int i = 0; i < 300; i++) {
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (row.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the second insert never waited for the first");
    }

    /** The campaign's one item, ranked r1 > r2 > r3 by a first annotator through the API. */
    private static long rankedOnce(long campaign) {
        String first = Api.newUser("ANNOTATOR");
        long item = Tasks.next(first, campaign).then().statusCode(200).extract().jsonPath().getLong("item.id");
        Tasks.rankThree(first, campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")));
        return item;
    }

    /** A new annotator's lease on the campaign's item. */
    private static long leased(long campaign) {
        return Tasks.next(Api.newUser("ANNOTATOR"), campaign).then().statusCode(200).extract().jsonPath()
                .getLong("taskId");
    }

    private static void insertRanking(Connection connection, long taskId, String tiers) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO rankings (task_id, item_id, campaign_id, annotator_id, tiers)
                SELECT id, item_id, campaign_id, annotator_id, ?::jsonb FROM tasks WHERE id = ?""")) {
            statement.setString(1, tiers);
            statement.setLong(2, taskId);
            assertEquals(1, statement.executeUpdate());
        }
    }

}
