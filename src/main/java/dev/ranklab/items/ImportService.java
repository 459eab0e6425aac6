package dev.ranklab.items;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.config.RanklabConfig;
import dev.ranklab.web.ProblemException;

/**
 * Streams an NDJSON file into a campaign's items in batches, in bounded memory. Valid lines are stored, invalid
 * ones are reported with their line number, and an externalId already in the campaign counts as a duplicate.
 * <p>
 * The whole file is one transaction: an import that fails half-way (too large, connection dropped) stores nothing,
 * so it can simply be sent again.
 */
@ApplicationScoped
public class ImportService {

    @Inject
    AuditLog audit;

    private static final Logger LOG = Logger.getLogger(ImportService.class);

    // unnest() turns five parallel arrays into rows: one round trip per batch, close to COPY's speed, and
    // ON CONFLICT makes a re-imported externalId a no-op even when two imports race.
    private static final String INSERT_BATCH = """
            INSERT INTO items (campaign_id, external_id, prompt, responses, metadata, gold_ranking, generation)
            SELECT ?, t.e, t.p::jsonb, t.r::jsonb, t.m::jsonb, t.g::jsonb, t.w
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 WITH ORDINALITY AS t(e, p, r, m, g, w, n)
            ORDER BY t.n
            ON CONFLICT (campaign_id, external_id) DO NOTHING
            """;

    private static final String INSERT_RECORD = """
            INSERT INTO item_imports (campaign_id, user_id, source, file_name, status, lines, imported, duplicates,
                                      rejected_count, rejected, failure, started_at, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, to_timestamp(? / 1000.0), now())
            RETURNING id
            """;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RanklabConfig config;

    @Inject
    ObjectMapper json;

    /** Imports {@code in} into the campaign; the stream is read to its end but not closed. */
    public ImportReport importItems(long campaignId, InputStream in, ItemImport.Source source, String fileName,
            Long userId) {
        return importItems(campaignId, in, source, fileName, userId, config.importing());
    }

    ImportReport importItems(long campaignId, InputStream in, ItemImport.Source source, String fileName, Long userId,
            RanklabConfig.Import limits) {
        long startedAt = System.currentTimeMillis();
        Batch batch = new Batch(limits.batchSize());
        List<ImportReport.Rejection> rejected = new ArrayList<>();
        int lines = 0;
        int imported = 0;
        int rejectedCount = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                ItemLineParser parser = parserFor(connection, campaignId);
                NdjsonLineReader reader = new NdjsonLineReader(in, limits.maxLineBytes(), limits.maxBytes());
                try (PreparedStatement insert = connection.prepareStatement(INSERT_BATCH)) {
                    while (reader.next()) {
                        if (!reader.lineTooLong() && reader.isBlank()) {
                            continue;
                        }
                        lines++;
                        String error = null;
                        if (reader.lineTooLong()) {
                            error = "line is longer than " + limits.maxLineBytes() + " bytes";
                        } else {
                            try {
                                batch.add(parser.parse(reader.bytes(), reader.length()));
                            } catch (ItemLineParser.LineRejected e) {
                                error = e.getMessage();
                            }
                        }
                        if (error != null) {
                            rejectedCount++;
                            if (rejected.size() < limits.maxReportedRejections()) {
                                rejected.add(new ImportReport.Rejection(reader.lineNumber(), error));
                            }
                        }
                        if (batch.isFull()) {
                            imported += batch.flush(insert, campaignId, connection);
                        }
                    }
                    imported += batch.flush(insert, campaignId, connection);
                }
                if (lines == 0) {
                    // A request without a body (or with blank lines only) is a mistake, not an import of nothing.
                    throw ProblemException.badRequest("the body holds no item: send NDJSON, one JSON object a line; "
                            + "nothing was imported");
                }
                int duplicates = lines - rejectedCount - imported;
                long id = record(connection, campaignId, userId, source, fileName, ItemImport.Status.COMPLETED,
                        lines, imported, duplicates, rejectedCount, rejected, null, startedAt);
                connection.commit();
                if (imported >= ANALYZE_AFTER) {
                    refreshStatistics(connection);
                }
                LOG.infof("Imported %d items into campaign %d (%d duplicates, %d rejected)", imported, campaignId,
                        duplicates, rejectedCount);
                audit.record("items.import", "campaign:" + campaignId, Map.of("source", source.name(),
                        "lines", lines, "imported", imported, "duplicates", duplicates, "rejected", rejectedCount));
                return new ImportReport(id, lines, imported, duplicates, rejectedCount, rejected);
            } catch (NdjsonLineReader.TooLarge e) {
                connection.rollback();
                recordFailure(campaignId, userId, source, fileName, lines, e.getMessage(), startedAt);
                throw ProblemException.tooLarge(e.getMessage() + "; nothing was imported");
            } catch (IOException e) {
                connection.rollback();
                recordFailure(campaignId, userId, source, fileName, lines, "the upload broke off", startedAt);
                throw ProblemException.badRequest("the upload broke off after " + lines
                        + " lines; nothing was imported, send the file again");
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("import into campaign " + campaignId + " failed", e);
        }
    }

    /**
     * Imports this large change the table enough that the queue's plan needs fresh statistics: without them, the
     * lease statement ran 20 times slower (sorting every open item) until autovacuum got round to ANALYZE, a minute
     * or more later (bench/soak found it).
     */
    static final int ANALYZE_AFTER = 1_000;

    private static void refreshStatistics(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE items");
            connection.commit();
        } catch (SQLException e) {
            // The statistics come with the next autovacuum anyway; the import itself succeeded.
            LOG.warn("could not refresh the items table's statistics after an import", e);
        }
    }

    /** Locks the campaign against changes of kind or K while its items are imported, and reads them. */
    private ItemLineParser parserFor(Connection connection, long campaignId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, responses_per_item, status FROM campaigns WHERE id = ? FOR SHARE")) {
            select.setLong(1, campaignId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("no campaign with id " + campaignId);
                }
                if ("ARCHIVED".equals(rs.getString(3))) {
                    throw ProblemException.conflict("campaign " + campaignId + " is archived; it takes no new items");
                }
                CampaignKind kind = CampaignKind.valueOf(rs.getString(1));
                int k = rs.getInt(2);
                return new ItemLineParser(kind, rs.wasNull() ? null : k);
            }
        }
    }

    private void recordFailure(long campaignId, Long userId, ItemImport.Source source, String fileName, int lines,
            String failure, long startedAt) {
        try (Connection connection = dataSource.getConnection()) {
            record(connection, campaignId, userId, source, fileName, ItemImport.Status.FAILED, lines, 0, 0, 0,
                    List.of(), failure, startedAt);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Could not record the failed import into campaign %d: %s", campaignId, e.getMessage());
        }
    }

    private long record(Connection connection, long campaignId, Long userId, ItemImport.Source source,
            String fileName, ItemImport.Status status, int lines, int imported, int duplicates, int rejectedCount,
            List<ImportReport.Rejection> rejected, String failure, long startedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_RECORD)) {
            insert.setLong(1, campaignId);
            insert.setObject(2, userId);
            insert.setString(3, source.name());
            insert.setString(4, fileName);
            insert.setString(5, status.name());
            insert.setInt(6, lines);
            insert.setInt(7, imported);
            insert.setInt(8, duplicates);
            insert.setInt(9, rejectedCount);
            insert.setString(10, toJson(rejected));
            insert.setString(11, failure);
            insert.setLong(12, startedAt);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rejections are plain records", e);
        }
    }

    /** Parsed lines waiting to be written together. */
    private static final class Batch {

        private final int capacity;
        private final List<ItemLineParser.ParsedItem> items;

        Batch(int capacity) {
            this.capacity = capacity;
            this.items = new ArrayList<>(capacity);
        }

        void add(ItemLineParser.ParsedItem item) {
            items.add(item);
        }

        boolean isFull() {
            return items.size() >= capacity;
        }

        /** Writes the batch and returns how many items were new. */
        int flush(PreparedStatement insert, long campaignId, Connection connection) throws SQLException {
            if (items.isEmpty()) {
                return 0;
            }
            int size = items.size();
            String[] ids = new String[size];
            String[] prompts = new String[size];
            String[] responses = new String[size];
            String[] metadata = new String[size];
            String[] gold = new String[size];
            String[] generation = new String[size];
            for (int i = 0; i < size; i++) {
                ItemLineParser.ParsedItem item = items.get(i);
                ids[i] = item.externalId();
                prompts[i] = item.promptJson();
                responses[i] = item.responsesJson();
                metadata[i] = item.metadataJson();
                gold[i] = item.goldJson();
                generation[i] = item.awaitsGeneration() ? "WAITING" : null;
            }
            insert.setLong(1, campaignId);
            insert.setArray(2, connection.createArrayOf("text", ids));
            insert.setArray(3, connection.createArrayOf("text", prompts));
            insert.setArray(4, connection.createArrayOf("text", responses));
            insert.setArray(5, connection.createArrayOf("text", metadata));
            insert.setArray(6, connection.createArrayOf("text", gold));
            insert.setArray(7, connection.createArrayOf("text", generation));
            int inserted = insert.executeUpdate();
            items.clear();
            return inserted;
        }
    }
}
