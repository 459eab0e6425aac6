package dev.ranklab.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Binds query parameters: Java arrays as PostgreSQL text or bigint arrays, everything else as itself. */
public final class SqlParameters {

    private SqlParameters() {
    }

    public static void bind(Connection connection, PreparedStatement statement, int first, List<Object> parameters)
            throws SQLException {
        int index = first;
        for (Object parameter : parameters) {
            if (parameter instanceof String[] values) {
                statement.setArray(index++, connection.createArrayOf("text", values));
            } else if (parameter instanceof Long[] values) {
                statement.setArray(index++, connection.createArrayOf("bigint", values));
            } else {
                statement.setObject(index++, parameter);
            }
        }
    }
}
