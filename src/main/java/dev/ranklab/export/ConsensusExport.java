package dev.ranklab.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.database.Snapshot;

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
                "r.flags", null, "r.item_id", "r.rejected_at");
        String sql = """
                SELECT i.id, i.external_id, i.prompt::text, i.responses::text, r.id, r.tiers::text
                FROM rankings r JOIN items i ON i.id = r.item_id
                WHERE r.campaign_id = ?%s
                ORDER BY i.id, r.id
                """.formatted(conditions.text());
        List<Object> parameters = new ArrayList<>();
        parameters.add(campaignId);
        parameters.addAll(conditions.parameters());
        long[] lines = {0};
        Group[] group = {null};
        Snapshot.read(dataSource, sql, parameters, row -> {
            long itemId = row.getLong(1);
            if (group[0] == null || group[0].itemId != itemId) {
                if (group[0] != null) {
                    group[0].write(out);
                    lines[0]++;
                }
                group[0] = new Group(itemId, row.getString(2), json.readTree(row.getString(3)),
                        json.readTree(row.getString(4)));
            }
            group[0].rankingIds.add(row.getLong(5));
            group[0].rankings.add(json.readValue(row.getString(6), TIERS));
            return true;
        });
        if (group[0] != null) {
            try {
                group[0].write(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines[0]++;
        }
        return lines[0];
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
