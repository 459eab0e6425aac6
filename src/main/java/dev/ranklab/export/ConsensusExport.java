package dev.ranklab.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;

/**
 * One consensus ranking per item across its annotators ({@link Consensus}), streamed from one snapshot in item
 * order, holding only one item's rankings in memory at a time.
 */
@ApplicationScoped
public class ConsensusExport {

    private static final TypeReference<List<List<String>>> TIERS = new TypeReference<>() {
    };

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    public long write(long campaignId, ExportFilter filter, OutputStream out) {
        ExportFilter.Sql conditions = filter.conditions("r.submitted_at", ExportQueries.annotator("r", false),
                "r.flags", null);
        String sql = """
                SELECT i.id, i.external_id, i.prompt::text, i.responses::text, r.id, r.tiers::text
                FROM rankings r JOIN items i ON i.id = r.item_id
                WHERE r.campaign_id = ?%s
                ORDER BY i.id, r.id
                """.formatted(conditions.text());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, campaignId);
                SqlParameters.bind(connection, statement, 2, conditions.parameters());
                statement.setFetchSize(2_000);
                long lines = 0;
                Group group = null;
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long itemId = rows.getLong(1);
                        if (group == null || group.itemId != itemId) {
                            if (group != null) {
                                group.write(out);
                                lines++;
                            }
                            group = new Group(itemId, rows.getString(2), json.readTree(rows.getString(3)),
                                    json.readTree(rows.getString(4)));
                        }
                        group.rankingIds.add(rows.getLong(5));
                        group.rankings.add(json.readValue(rows.getString(6), TIERS));
                    }
                }
                if (group != null) {
                    group.write(out);
                    lines++;
                }
                connection.commit();
                return lines;
            } finally {
                connection.setReadOnly(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("consensus export of campaign " + campaignId + " failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One item and the rankings it received. */
    private final class Group {

        final long itemId;
        final String externalId;
        final JsonNode prompt;
        final JsonNode responses;
        final List<Long> rankingIds = new ArrayList<>();
        final List<List<List<String>>> rankings = new ArrayList<>();

        Group(long itemId, String externalId, JsonNode prompt, JsonNode responses) {
            this.itemId = itemId;
            this.externalId = externalId;
            this.prompt = prompt;
            this.responses = responses;
        }

        void write(OutputStream out) throws IOException {
            List<String> ids = new ArrayList<>();
            responses.forEach(response -> ids.add(response.get("id").asText()));
            Consensus.Result result = Consensus.merge(ids, rankings);
            ObjectNode line = json.createObjectNode();
            line.put("itemId", itemId);
            line.put("externalId", externalId);
            line.set("prompt", prompt);
            line.set("responses", responses);
            line.set("tiers", json.valueToTree(result.tiers()));
            line.put("agreement", Math.round(result.agreement() * 10_000) / 10_000.0);
            line.put("rankings", result.rankings());
            line.set("rankingIds", json.valueToTree(rankingIds));
            out.write(json.writeValueAsBytes(line));
            out.write('\n');
        }
    }
}
