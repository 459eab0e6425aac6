package dev.ranklab.export;

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
 * a server-side cursor in chunks, so exports see no half-finished submissions and hold no more than a chunk.
 */
final class Snapshot {

    private static final int FETCH_SIZE = 2_000;

    /** What to do with each row. */
    interface RowHandler {

        /** Handles one row; returning false stops the read. */
        boolean row(ResultSet row) throws SQLException, IOException;
    }

    private Snapshot() {
    }

    static void read(AgroalDataSource dataSource, String sql, List<Object> parameters, RowHandler handler) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
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
            } finally {
                // The pool hands this connection to others next: give it back as it came.
                connection.setReadOnly(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("export query failed", e);
        } catch (IOException e) {
            // The client went away: nothing to answer, and the snapshot transaction was rolled back on close.
            throw new UncheckedIOException(e);
        }
    }
}
