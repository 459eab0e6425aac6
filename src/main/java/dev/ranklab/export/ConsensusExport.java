package dev.ranklab.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.database.Snapshot;
import dev.ranklab.quality.Consensus;

/**
 * One consensus ranking per item across its annotators ({@link Consensus}), streamed from one snapshot in item
 * order, holding only one item's rankings in memory at a time.
 */
@ApplicationScoped
public class ConsensusExport {

    private static final TypeReference<List<List<String>>> TIERS = new TypeReference<>() {
    };

    private static final TypeReference<List<String>> IDS = new TypeReference<>() {
    };

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /**
     * The consensus of each item in the options' format: one rankings line per item, or the pairs, TRL pairs or KTO
     * lines its consensus tiers give, with the fields of that format; a line made from several annotators' rankings
     * has no single ranking or annotator, so {@code rankingId} and {@code annotator} are null.
     */
    public long write(long campaignId, ExportOptions options, OutputStream out) {
        ExportFilter.Sql conditions = options.filter().conditions("r.submitted_at",
                ExportQueries.annotator("r", false), "r.flags", null, "r.item_id", "r.rejected_at");
        String sql = """
                SELECT i.id, i.external_id, i.prompt::text, %s::text, %s, r.id, r.tiers::text
                FROM rankings r JOIN items i ON i.id = r.item_id
                WHERE r.campaign_id = ?%s
                ORDER BY i.id, r.id
                """.formatted(ExportQueries.RESPONSES, PromptSplit.sql(options.split(), "i.prompt"),
                conditions.text());
        List<Object> parameters = new ArrayList<>();
        parameters.add(campaignId);
        parameters.addAll(conditions.parameters());
        long[] lines = {0};
        Group[] group = {null};
        Snapshot.read(dataSource, sql, parameters, row -> {
            long itemId = row.getLong(1);
            if (group[0] == null || group[0].itemId != itemId) {
                if (group[0] != null) {
                    lines[0] += group[0].write(options, out);
                }
                group[0] = new Group(itemId, row.getString(2), json.readTree(row.getString(3)),
                        json.readTree(row.getString(4)), row.getString(5));
            }
            group[0].rankingIds.add(row.getLong(6));
            group[0].rankings.add(json.readValue(row.getString(7), TIERS));
            return true;
        });
        if (group[0] != null) {
            try {
                lines[0] += group[0].write(options, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines[0];
    }

    /**
     * How many consensus rankings (one per item) and pairs an export with this filter gives, merging each item's
     * rankings as {@link #write} does but reading only their tiers.
     */
    public long[] count(long campaignId, ExportFilter filter) {
        ExportFilter.Sql conditions = filter.conditions("r.submitted_at", ExportQueries.annotator("r", false),
                "r.flags", null, "r.item_id", "r.rejected_at");
        String sql = """
                SELECT r.item_id, (SELECT json_agg(e ->> 'id') FROM jsonb_array_elements(i.responses) e)::text,
                       r.tiers::text
                FROM rankings r JOIN items i ON i.id = r.item_id
                WHERE r.campaign_id = ?%s
                ORDER BY r.item_id, r.id
                """.formatted(conditions.text());
        List<Object> parameters = new ArrayList<>();
        parameters.add(campaignId);
        parameters.addAll(conditions.parameters());
        long[] counts = {0, 0};
        long[] item = {-1};
        List<String> ids = new ArrayList<>();
        List<List<List<String>>> rankings = new ArrayList<>();
        Snapshot.read(dataSource, sql, parameters, row -> {
            if (row.getLong(1) != item[0]) {
                counts[1] += consensusPairs(ids, rankings);
                item[0] = row.getLong(1);
                counts[0]++;
                ids.clear();
                ids.addAll(json.readValue(row.getString(2), IDS));
                rankings.clear();
            }
            rankings.add(json.readValue(row.getString(3), TIERS));
            return true;
        });
        counts[1] += consensusPairs(ids, rankings);
        return counts;
    }

    /** The (better, worse) pairs of an item's consensus: responses in different tiers. */
    private static long consensusPairs(List<String> ids, List<List<List<String>>> rankings) {
        if (rankings.isEmpty()) {
            return 0;
        }
        long pairs = 0;
        long above = 0;
        for (List<String> tier : Consensus.merge(ids, rankings).tiers()) {
            pairs += above * tier.size();
            above += tier.size();
        }
        return pairs;
    }

    /** One item and the rankings it received. */
    private final class Group {

        final long itemId;
        final String externalId;
        final JsonNode prompt;
        final JsonNode responses;
        final String split;
        final List<Long> rankingIds = new ArrayList<>();
        final List<List<List<String>>> rankings = new ArrayList<>();

        Group(long itemId, String externalId, JsonNode prompt, JsonNode responses, String split) {
            this.itemId = itemId;
            this.externalId = externalId;
            this.prompt = prompt;
            this.responses = responses;
            this.split = split;
        }

        /** Writes the item's lines and returns how many. */
        long write(ExportOptions options, OutputStream out) throws IOException {
            List<String> ids = new ArrayList<>();
            Map<String, String> texts = new HashMap<>();
            responses.forEach(response -> {
                ids.add(response.get("id").asText());
                texts.put(response.get("id").asText(), response.get("text").asText());
            });
            Consensus.Result result = Consensus.merge(ids, rankings);
            List<List<String>> tiers = result.tiers();
            boolean standard = options.shape().trlStandard();
            long written = 0;
            switch (options.format()) {
                case RANKINGS -> {
                    ObjectNode line = json.createObjectNode();
                    line.put("itemId", itemId);
                    line.put("externalId", externalId);
                    line.set("prompt", prompt);
                    line.set("responses", responses);
                    line.set("tiers", json.valueToTree(tiers));
                    line.put("agreement", Math.round(result.agreement() * 10_000) / 10_000.0);
                    line.put("rankings", result.rankings());
                    line.set("rankingIds", json.valueToTree(rankingIds));
                    line.put("split", split);
                    written += emit(line, out);
                }
                case PAIRS, TRL -> {
                    for (int better = 0; better < tiers.size(); better++) {
                        for (String chosen : tiers.get(better)) {
                            for (int worse = better + 1; worse < tiers.size(); worse++) {
                                for (String rejected : tiers.get(worse)) {
                                    written += emit(pair(options.format(), standard, texts, chosen, rejected,
                                            worse - better), out);
                                }
                            }
                        }
                    }
                }
                case KTO -> {
                    if (tiers.size() >= 2) {
                        for (String id : tiers.get(0)) {
                            written += emit(kto(standard, texts, id, true), out);
                        }
                        for (String id : tiers.get(tiers.size() - 1)) {
                            written += emit(kto(standard, texts, id, false), out);
                        }
                    }
                }
                default -> throw new IllegalArgumentException(options.format().name());
            }
            return written;
        }

        private ObjectNode pair(ExportFormat format, boolean standard, Map<String, String> texts, String chosen,
                String rejected, int margin) {
            ObjectNode line = json.createObjectNode();
            if (format == ExportFormat.PAIRS) {
                line.set("prompt", prompt);
                line.put("chosen", texts.get(chosen));
                line.put("rejected", texts.get(rejected));
                line.put("margin", margin);
                line.put("chosenId", chosen);
                line.put("rejectedId", rejected);
                line.putNull("chosenRating");
                line.putNull("rejectedRating");
                line.putNull("rankingId");
                line.put("itemId", itemId);
                line.putNull("annotator");
            } else {
                line.set("prompt", prompt(standard));
                line.set("chosen", reply(standard, texts.get(chosen)));
                line.set("rejected", reply(standard, texts.get(rejected)));
                line.put("margin", margin);
                line.put("itemId", itemId);
                line.putNull("rankingId");
                line.putNull("annotator");
            }
            line.put("split", split);
            return line;
        }

        private ObjectNode kto(boolean standard, Map<String, String> texts, String id, boolean label) {
            ObjectNode line = json.createObjectNode();
            line.set("prompt", prompt(standard));
            line.set("completion", reply(standard, texts.get(id)));
            line.put("label", label);
            line.put("responseId", id);
            line.putNull("rating");
            line.put("itemId", itemId);
            line.putNull("rankingId");
            line.putNull("annotator");
            line.put("split", split);
            return line;
        }

        private JsonNode prompt(boolean standard) {
            return standard ? json.getNodeFactory().textNode(prompt.get(0).get("content").asText()) : prompt;
        }

        private JsonNode reply(boolean standard, String text) {
            if (standard) {
                return json.getNodeFactory().textNode(text);
            }
            ObjectNode message = json.createObjectNode();
            message.put("role", "assistant");
            message.put("content", text);
            return json.createArrayNode().add(message);
        }

        private long emit(ObjectNode line, OutputStream out) throws IOException {
            out.write(json.writeValueAsBytes(line));
            out.write('\n');
            return 1;
        }
    }
}
