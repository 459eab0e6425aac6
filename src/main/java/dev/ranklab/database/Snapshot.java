package dev.ranklab.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import io.agroal.api.AgroalDataSource;

/**
 * Reads a query's rows from one consistent snapshot: a read-only REPEATABLE READ transaction whose rows come through
 * a server-side cursor in chunks, so readers (exports, training, the audit export) see no half-finished submissions
 * and hold no more than a chunk.
 */
public final class Snapshot {

    private static final int FETCH_SIZE = 2_000;

    /** What to do with each row. */
    public interface RowHandler {

        /** Handles one row; returning false stops the read. */
        boolean row(ResultSet row) throws SQLException, IOException;
    }

    private Snapshot() {
    }

    public static void read(AgroalDataSource dataSource, String sql, List<Object> parameters, RowHandler handler) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            boolean committed = false;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                SqlParameters.bind(connection, statement, 1, parameters);
                // With autocommit off, the driver fetches in chunks through a cursor instead of all rows at once.
                statement.setFetchSize(FETCH_SIZE);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next() && handler.row(rows)) {
                        // the handler did the work
                    }
                }
                connection.commit();
                committed = true;
            } finally {
                // End the transaction before resetting it (a failing handler must not be masked by "cannot change
                // the read-only property in the middle of a transaction"), then give the pooled connection back as
                // it came.
                if (!committed) {
                    connection.rollback();
                }
                connection.setReadOnly(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("snapshot query failed", e);
        } catch (IOException e) {
            // The reader stopped (a client went away): the snapshot transaction was rolled back on close.
            throw new UncheckedIOException(e);
        }
    }
}
