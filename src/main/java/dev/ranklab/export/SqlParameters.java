package dev.ranklab.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Binds export parameters: text arrays as PostgreSQL arrays, everything else as itself. */
final class SqlParameters {

    private SqlParameters() {
    }

    static void bind(Connection connection, PreparedStatement statement, int first, List<Object> parameters)
            throws SQLException {
        int index = first;
        for (Object parameter : parameters) {
            if (parameter instanceof String[] values) {
                statement.setArray(index++, connection.createArrayOf("text", values));
            } else {
                statement.setObject(index++, parameter);
            }
        }
    }
}
