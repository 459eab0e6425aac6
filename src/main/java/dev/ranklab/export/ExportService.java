package dev.ranklab.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.web.ProblemException;

/**
 * Streams a campaign's dataset as JSON lines from one consistent snapshot: a read-only REPEATABLE READ transaction
 * and a server-side cursor, so memory stays flat at any size and submissions arriving meanwhile neither appear half
 * way nor break the export.
 */
@ApplicationScoped
public class ExportService {

    private static final int FETCH_SIZE = 2_000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CampaignService campaigns;

    /** Checks that the campaign can give this format; call before the response is committed. */
    public Campaign check(long campaignId, ExportFormat format) {
        Campaign campaign = campaigns.get(campaignId);
        boolean demonstrations = campaign.kind == CampaignKind.DEMONSTRATION;
        if (demonstrations != (format == ExportFormat.SFT)) {
            throw ProblemException.badRequest("format=" + format.fileName() + " does not apply to a "
                    + campaign.kind + " campaign; use " + (demonstrations ? "sft" : "rankings, pairs or trl"));
        }
        return campaign;
    }

    /** Writes the chosen part of the dataset to {@code out}, one JSON object a line; returns the line count. */
    public long write(long campaignId, ExportFormat format, boolean realNames, ExportFilter filter, OutputStream out) {
        return write(campaignId, format, realNames, filter, out, Long.MAX_VALUE);
    }

    /** The first {@code maxLines} lines only, for previews. */
    public long write(long campaignId, ExportFormat format, boolean realNames, ExportFilter filter, OutputStream out,
            long maxLines) {
        ExportQueries.Query query = ExportQueries.build(format, campaignId, realNames, filter);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
                SqlParameters.bind(connection, statement, 1, query.parameters());
                // With autocommit off, the driver fetches in chunks through a cursor instead of all rows at once.
                statement.setFetchSize(FETCH_SIZE);
                long lines = 0;
                try (ResultSet rows = statement.executeQuery()) {
                    while (lines < maxLines && rows.next()) {
                        out.write(rows.getString(1).getBytes(StandardCharsets.UTF_8));
                        out.write('\n');
                        lines++;
                    }
                }
                connection.commit();
                return lines;
            } finally {
                connection.setReadOnly(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("export of campaign " + campaignId + " failed", e);
        } catch (IOException e) {
            // The client went away: nothing to answer, and the snapshot transaction is rolled back on close.
            throw new UncheckedIOException(e);
        }
    }
}
