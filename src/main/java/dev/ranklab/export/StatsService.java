package dev.ranklab.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
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
import dev.ranklab.campaigns.CampaignKind;
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

    @Inject
    ConsensusExport consensus;

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

    /**
     * What an export with these options would hold, following every option that changes it: the filter, whether
     * a rankings export lists skipped tasks, and whether an item's rankings are merged into one consensus.
     */
    public MatchCounts counts(Campaign campaign, ExportOptions options) {
        ExportFilter filter = options.filter();
        if (campaign.kind == CampaignKind.DEMONSTRATION) {
            ExportFilter.Sql conditions = filter.conditions("d.submitted_at", ExportQueries.annotator("d", false),
                    null, null, null, null);
            long[] row = count("SELECT count(*), 0 FROM demonstrations d WHERE d.campaign_id = ?", campaign.id,
                    conditions);
            return new MatchCounts(0, 0, 0, row[0], false);
        }
        if (options.consensus()) {
            long[] merged = consensus.count(campaign.id, filter);
            return new MatchCounts(merged[0], merged[1], 0, 0, true);
        }
        ExportFilter.Sql conditions = filter.conditions("r.submitted_at", ExportQueries.annotator("r", false),
                "r.flags", null, "r.item_id", "r.rejected_at");
        // A ranking's pairs are a stored column (ranking_pairs in the migrations): no JSON is walked here.
        long[] rankings = count("SELECT count(*), coalesce(sum(r.pairs), 0) FROM rankings r WHERE r.campaign_id = ?",
                campaign.id, conditions);
        long skipped = 0;
        if (options.format() == ExportFormat.RANKINGS && filter.skips()) {
            // The rows the rankings export lists for tasks that were not ranked, under the same conditions.
            ExportFilter.Sql taskConditions = filter.conditions("t.finished_at", ExportQueries.annotator("t", false),
                    "r.flags", "t.status", "t.item_id", "r.rejected_at");
            skipped = count("SELECT count(*), 0 FROM tasks t LEFT JOIN rankings r ON r.task_id = t.id "
                    + "WHERE t.campaign_id = ? AND t.status IN ('SKIPPED', 'UNRANKABLE')", campaign.id,
                    taskConditions)[0];
        }
        return new MatchCounts(rankings[0], rankings[1], skipped, 0, false);
    }

    /**
     * The builder's pickers from the campaign's data: days with submissions (UTC), annotators as exports name them
     * and how much each submitted, and the campaign's flags. Gold items are left out as exports leave them out.
     */
    public BuilderChoices choices(Campaign campaign) {
        boolean ranking = campaign.kind == CampaignKind.RANKING;
        String from = ranking
                ? "rankings w WHERE w.campaign_id = ?1 AND w.item_id NOT IN "
                        + "(SELECT id FROM items WHERE gold_ranking IS NOT NULL)"
                : "demonstrations w WHERE w.campaign_id = ?1";
        @SuppressWarnings("unchecked")
        List<Object[]> days = em.createNativeQuery("SELECT (w.submitted_at AT TIME ZONE 'UTC')::date::text, count(*) "
                + "FROM " + from + " GROUP BY 1 ORDER BY 1").setParameter(1, campaign.id).getResultList();
        @SuppressWarnings("unchecked")
        List<Object[]> annotators = em.createNativeQuery("SELECT " + ExportQueries.annotator("w", false)
                + ", count(*) FROM " + from + " GROUP BY 1 ORDER BY 1").setParameter(1, campaign.id)
                .getResultList();
        return new BuilderChoices(
                days.stream().map(row -> new BuilderChoices.Day(LocalDate.parse((String) row[0]), number(row[1])))
                        .toList(),
                annotators.stream().map(row -> new BuilderChoices.Annotator((String) row[0], number(row[1])))
                        .toList(),
                ranking ? List.copyOf(campaign.flags) : List.of());
    }

    /** The two numbers a count query selects, its conditions appended after the campaign's parameter. */
    private long[] count(String sql, long campaignId, ExportFilter.Sql conditions) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql + conditions.text())) {
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
            // A histogram's bars are drawn against its largest; a rate (flags: share of rated responses) against
            // 100%, so that 2% reads as a sliver and not as a full bar.
            double share = (double) count / denominator;
            bars.add(
                    new DatasetStats.Bar(String.valueOf(values[0]), count, total == null ? (double) count / max : share,
                            share));
        }
        return bars;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
