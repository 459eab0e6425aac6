package dev.ranklab.quality;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.database.Snapshot;
import dev.ranklab.web.ProblemException;

/** Agreement between a campaign's annotators, from the items more than one of them ranked. */
@ApplicationScoped
public class AgreementService {

    private static final TypeReference<List<List<String>>> TIERS = new TypeReference<>() {
    };

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CampaignService campaigns;

    @Inject
    ObjectMapper json;

    /**
     * Results by what was asked, each with the fingerprint of the data it was computed from: a page, the dashboard and
     * the API asking again about an unchanged campaign get the answer without the computation, which on a campaign of
     * 100,000 rankings takes seconds. Exact, also across instances: a result is only reused while the stored data
     * still has its fingerprint.
     */
    private final FingerprintCache<ResultKey> results = new FingerprintCache<>(64);

    private record ResultKey(long campaignId, String kind, boolean realNames, double flagBelow) {
    }

    /** Annotators below this pairwise agreement with the others are flagged by default. */
    public static final double DEFAULT_FLAG_BELOW = 0.5;

    /** Annotators below this agreement with gold references are flagged by default. */
    public static final double DEFAULT_GOLD_FLAG_BELOW = 0.7;

    public Agreement.Result of(long campaignId, boolean realNames, double flagBelow) {
        requireRankings(campaignId, "agreement is measured on rankings");
        return results.get(new ResultKey(campaignId, "annotators", realNames, flagBelow),
                fingerprint(campaignId), () -> compute(campaignId, realNames, flagBelow));
    }

    private Agreement.Result compute(long campaignId, boolean realNames, double flagBelow) {
        Agreement.Accumulator accumulator = new Agreement.Accumulator();
        List<Agreement.Judgment> item = new ArrayList<>();
        read("SELECT r.item_id, " + Pseudonyms.sql("r", realNames) + ", r.tiers::text FROM rankings r "
                + "WHERE r.campaign_id = ?1 AND r.rejected_at IS NULL AND r.item_id NOT IN (SELECT id FROM items WHERE gold_ranking IS NOT NULL) "
                + "AND r.item_id IN (SELECT item_id FROM rankings WHERE campaign_id = ?1 AND rejected_at IS NULL "
                + "GROUP BY item_id HAVING count(*) > 1) ORDER BY r.item_id, r.id", campaignId,
                rows -> {
                    // Rows come in item order: an item is measured as soon as its last judgment is read, so only
                    // one item's rankings are held at a time.
                    Agreement.Judgment judgment = judgment(rows);
                    if (!item.isEmpty() && item.get(0).itemId() != judgment.itemId()) {
                        accumulator.add(item);
                        item.clear();
                    }
                    item.add(judgment);
                });
        accumulator.add(item);
        return accumulator.result(flagBelow);
    }

    /** Agreement between annotators and with gold, as the pages and the dashboard show them side by side. */
    public record Report(Agreement.Result annotators, GoldAgreement.Result gold) {
    }

    /** Both measures with the default thresholds, checked against one fingerprint of the campaign's data. */
    public Report report(long campaignId, boolean realNames) {
        requireRankings(campaignId, "agreement is measured on rankings");
        String fingerprint = fingerprint(campaignId);
        return new Report(
                results.get(new ResultKey(campaignId, "annotators", realNames, DEFAULT_FLAG_BELOW), fingerprint,
                        () -> compute(campaignId, realNames, DEFAULT_FLAG_BELOW)),
                results.get(new ResultKey(campaignId, "gold", realNames, DEFAULT_GOLD_FLAG_BELOW), fingerprint,
                        () -> computeGold(campaignId, realNames, DEFAULT_GOLD_FLAG_BELOW)));
    }

    /** Every annotator against the campaign's gold items (rejected rankings left out). */
    public GoldAgreement.Result gold(long campaignId, boolean realNames, double flagBelow) {
        requireRankings(campaignId, "gold items are rankings");
        return results.get(new ResultKey(campaignId, "gold", realNames, flagBelow), fingerprint(campaignId),
                () -> computeGold(campaignId, realNames, flagBelow));
    }

    private GoldAgreement.Result computeGold(long campaignId, boolean realNames, double flagBelow) {
        List<Agreement.Judgment> judgments = new ArrayList<>();
        Map<Long, Map<String, Integer>> references = new HashMap<>();
        read("SELECT r.item_id, " + Pseudonyms.sql("r", realNames) + ", r.tiers::text, i.gold_ranking::text "
                + "FROM rankings r JOIN items i ON i.id = r.item_id WHERE r.campaign_id = ?1 "
                + "AND r.rejected_at IS NULL AND i.gold_ranking IS NOT NULL ORDER BY r.item_id, r.id", campaignId,
                rows -> {
                    Agreement.Judgment judgment = judgment(rows);
                    judgments.add(judgment);
                    if (!references.containsKey(judgment.itemId())) {
                        references.put(judgment.itemId(), tiersOf(rows.getString(4)));
                    }
                });
        int[] goldItems = {0};
        read("SELECT count(*) FROM items WHERE campaign_id = ?1 AND gold_ranking IS NOT NULL", campaignId,
                rows -> goldItems[0] = rows.getInt(1));
        return GoldAgreement.of(goldItems[0], judgments, references, flagBelow);
    }

    /**
     * What the results depend on, in one aggregate over the campaign's rankings and gold items: which rankings exist,
     * at which revision, which of them are rejected, and which items are gold with which reference. Any submission,
     * revision, rejection, restoration or gold change gives another value; reading it costs a scan of ids, not the
     * computation.
     */
    private String fingerprint(long campaignId) {
        StringBuilder fingerprint = new StringBuilder();
        read("""
                SELECT count(*), coalesce(max(id), 0),
                       coalesce(sum(hashtextextended(id || ':' || revision || ':' || coalesce(rejected_at::text, ''), 7)
                           ::numeric), 0),
                       (SELECT coalesce(sum(hashtextextended(id || ':' || gold_ranking::text, 7)::numeric), 0)
                        FROM items WHERE campaign_id = ?1 AND gold_ranking IS NOT NULL)
                FROM rankings WHERE campaign_id = ?1""", campaignId,
                rows -> fingerprint.append(rows.getLong(1)).append('/').append(rows.getLong(2)).append('/')
                        .append(rows.getBigDecimal(3)).append('/').append(rows.getBigDecimal(4)));
        return fingerprint.toString();
    }

    private void requireRankings(long campaignId, String why) {
        if (campaigns.get(campaignId).kind != CampaignKind.RANKING) {
            throw ProblemException.conflict("campaign " + campaignId + " collects demonstrations; " + why);
        }
    }

    /** One row of (item id, annotator, tiers) as a judgment. */
    private Agreement.Judgment judgment(ResultSet rows) throws SQLException {
        return new Agreement.Judgment(rows.getLong(1), rows.getString(2), tiersOf(rows.getString(3)));
    }

    private Map<String, Integer> tiersOf(String tiers) throws SQLException {
        try {
            return Agreement.tiers(json.readValue(tiers, TIERS));
        } catch (JsonProcessingException e) {
            throw new SQLException("stored tiers do not parse: " + e.getOriginalMessage(), e);
        }
    }

    /** Reacts to one row at a time. */
    private interface RowReader {

        void row(ResultSet rows) throws SQLException;
    }

    /**
     * Streams the rows of a query whose every parameter is the campaign id (?1, written as ? for JDBC), from one
     * snapshot through a cursor, so that no more than a chunk of rows is held.
     */
    private void read(String sql, long campaignId, RowReader reader) {
        String jdbc = sql.replace("?1", "?");
        List<Object> parameters = Collections.nCopies((int) jdbc.chars().filter(c -> c == '?').count(), campaignId);
        Snapshot.read(dataSource, jdbc, parameters, rows -> {
            reader.row(rows);
            return true;
        });
    }
}
