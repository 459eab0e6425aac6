package dev.ranklab.quality;

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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.export.Pseudonyms;
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

    /** Annotators below this pairwise agreement with the others are flagged by default. */
    public static final double DEFAULT_FLAG_BELOW = 0.5;

    /** Annotators below this agreement with gold references are flagged by default. */
    public static final double DEFAULT_GOLD_FLAG_BELOW = 0.7;

    public Agreement.Result of(long campaignId, boolean realNames) {
        return of(campaignId, realNames, DEFAULT_FLAG_BELOW);
    }

    public Agreement.Result of(long campaignId, boolean realNames, double flagBelow) {
        Campaign campaign = campaigns.get(campaignId);
        if (campaign.kind != CampaignKind.RANKING) {
            throw ProblemException.conflict("campaign " + campaignId + " collects demonstrations; agreement is "
                    + "measured on rankings");
        }
        String sql = "SELECT r.item_id, " + Pseudonyms.sql("r", realNames) + ", r.tiers::text FROM rankings r "
                + "WHERE r.campaign_id = ? AND r.rejected_at IS NULL AND NOT is_gold_item(r.item_id) AND r.item_id IN (SELECT item_id FROM rankings "
                + "WHERE campaign_id = ? AND rejected_at IS NULL GROUP BY item_id HAVING count(*) > 1) "
                + "ORDER BY r.item_id, r.id";
        List<Agreement.Judgment> judgments = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, campaignId);
            statement.setLong(2, campaignId);
            statement.setFetchSize(2_000);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    judgments.add(new Agreement.Judgment(rows.getLong(1), rows.getString(2),
                            Agreement.tiers(json.readValue(rows.getString(3), TIERS))));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("reading rankings for agreement failed", e);
        }
        return Agreement.of(judgments, flagBelow);
    }

    /** Every annotator against the campaign's gold items (rejected rankings left out). */
    public GoldAgreement.Result gold(long campaignId, boolean realNames, double flagBelow) {
        Campaign campaign = campaigns.get(campaignId);
        if (campaign.kind != CampaignKind.RANKING) {
            throw ProblemException.conflict("campaign " + campaignId + " collects demonstrations; gold items are "
                    + "rankings");
        }
        String sql = "SELECT r.item_id, " + Pseudonyms.sql("r", realNames) + ", r.tiers::text, i.gold_ranking::text "
                + "FROM rankings r JOIN items i ON i.id = r.item_id WHERE r.campaign_id = ? AND r.rejected_at IS NULL "
                + "AND i.gold_ranking IS NOT NULL ORDER BY r.item_id, r.id";
        List<Agreement.Judgment> judgments = new ArrayList<>();
        Map<Long, Map<String, Integer>> references = new HashMap<>();
        int goldItems;
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, campaignId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long itemId = rows.getLong(1);
                        judgments.add(new Agreement.Judgment(itemId, rows.getString(2),
                                Agreement.tiers(json.readValue(rows.getString(3), TIERS))));
                        if (!references.containsKey(itemId)) {
                            references.put(itemId, Agreement.tiers(json.readValue(rows.getString(4), TIERS)));
                        }
                    }
                }
            }
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT count(*) FROM items WHERE campaign_id = ? AND gold_ranking IS NOT NULL")) {
                count.setLong(1, campaignId);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    goldItems = row.getInt(1);
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("reading gold rankings failed", e);
        }
        return GoldAgreement.of(goldItems, judgments, references, flagBelow);
    }
}
