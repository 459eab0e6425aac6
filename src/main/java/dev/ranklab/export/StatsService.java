package dev.ranklab.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.Flag;
import dev.ranklab.database.SqlParameters;
import dev.ranklab.rankings.RankingService;

/** Dataset statistics and the counts an export with given filters would give, computed in SQL. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class StatsService {

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    public DatasetStats stats(Campaign campaign) {
        long id = campaign.id;
        Object[] tasks = (Object[]) em.createNativeQuery("""
                SELECT count(*) FILTER (WHERE status = 'SKIPPED'), count(*) FILTER (WHERE status = 'UNRANKABLE'),
                       count(DISTINCT annotator_id) FILTER (WHERE finished_at IS NOT NULL)
                FROM tasks WHERE campaign_id = ?1""").setParameter(1, id).getSingleResult();
        Object[] rankings = (Object[]) em
                .createNativeQuery(
                        """
                                SELECT count(*), coalesce(sum(r.pairs), 0), count(*) FILTER (WHERE r.has_tie)
                                FROM rankings r WHERE r.campaign_id = ?1 AND r.item_id NOT IN (SELECT id FROM items WHERE gold_ranking IS NOT NULL)""")
                .setParameter(1, id).getSingleResult();
        long rankingCount = number(rankings[0]);
        List<DatasetStats.Bar> ratings = bars(em.createNativeQuery(
                """
                        SELECT v.value, count(*) FROM rankings r CROSS JOIN LATERAL jsonb_each_text(r.ratings) v
                        WHERE r.campaign_id = ?1 AND r.item_id NOT IN (SELECT id FROM items WHERE gold_ranking IS NOT NULL) GROUP BY v.value ORDER BY v.value::int""")
                .setParameter(1, id)
                .getResultList(), null);
        long ratedResponses = ratings.stream().mapToLong(DatasetStats.Bar::count).sum();
        if (ratedResponses > 0) {
            ratings = everyRating(ratings);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> flagRows = em.createNativeQuery(
                """
                        SELECT code, count(*) FROM rankings r CROSS JOIN LATERAL jsonb_each(r.flags) f
                        CROSS JOIN LATERAL jsonb_array_elements_text(f.value) code
                        WHERE r.campaign_id = ?1 AND r.item_id NOT IN (SELECT id FROM items WHERE gold_ranking IS NOT NULL) GROUP BY code""")
                .setParameter(1, id)
                .getResultList();
        List<Object[]> labelled = new ArrayList<>();
        for (Flag flag : campaign.flags) {
            long count = flagRows.stream().filter(row -> flag.code().equals(row[0])).mapToLong(row -> number(row[1]))
                    .sum();
            labelled.add(new Object[]{flag.label(), count});
        }
        Object[] demonstrations = (Object[]) em.createNativeQuery("""
                SELECT count(*), coalesce(percentile_disc(0.5) WITHIN GROUP (ORDER BY length(text)), 0)
                FROM demonstrations WHERE campaign_id = ?1""").setParameter(1, id).getSingleResult();
        long items = number(em.createNativeQuery("SELECT count(*) FROM items WHERE campaign_id = ?1")
                .setParameter(1, id).getSingleResult());
        return new DatasetStats(items, rankingCount, number(tasks[0]), number(tasks[1]), number(rankings[1]),
                rankingCount == 0 ? 0 : (double) number(rankings[2]) / rankingCount, ratings,
                bars(labelled, ratedResponses), number(demonstrations[0]), number(demonstrations[1]),
                number(tasks[2]));
    }

    /** How many rankings and pairs an export with this filter would hold. */
    public long[] counts(long campaignId, ExportFilter filter) {
        ExportFilter.Sql conditions = filter.conditions("r.submitted_at", ExportQueries.annotator("r", false),
                "r.flags", null, "r.item_id", "r.rejected_at");
        // A ranking's pairs are a stored column (ranking_pairs in the migrations): no JSON is walked here.
        String sql = "SELECT count(*), coalesce(sum(r.pairs), 0) FROM rankings r "
                + "WHERE r.campaign_id = ?" + conditions.text();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, campaignId);
            SqlParameters.bind(connection, statement, 2, conditions.parameters());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return new long[]{row.getLong(1), row.getLong(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting campaign " + campaignId + " failed", e);
        }
    }

    /** The rating histogram with every value of the scale, unused ones at zero, so the scale reads the same way. */
    public static List<DatasetStats.Bar> everyRating(List<DatasetStats.Bar> observed) {
        Map<String, DatasetStats.Bar> byLabel = new HashMap<>();
        observed.forEach(bar -> byLabel.put(bar.label(), bar));
        List<DatasetStats.Bar> bars = new ArrayList<>();
        for (int rating = RankingService.MIN_RATING; rating <= RankingService.MAX_RATING; rating++) {
            String label = Integer.toString(rating);
            bars.add(byLabel.getOrDefault(label, new DatasetStats.Bar(label, 0, 0, 0)));
        }
        return bars;
    }

    private static List<DatasetStats.Bar> bars(List<?> rows, Long total) {
        long max = 1;
        long sum = 0;
        for (Object row : rows) {
            long count = number(((Object[]) row)[1]);
            max = Math.max(max, count);
            sum += count;
        }
        long denominator = total == null ? Math.max(sum, 1) : Math.max(total, 1);
        List<DatasetStats.Bar> bars = new ArrayList<>();
        for (Object row : rows) {
            Object[] values = (Object[]) row;
            long count = number(values[1]);
            bars.add(new DatasetStats.Bar(String.valueOf(values[0]), count, (double) count / max,
                    (double) count / denominator));
        }
        return bars;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
