package dev.ranklab.database;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * This process's mark in PostgreSQL: a session advisory lock on a key of its own, held on a connection kept for as
 * long as the instance lives. Background work records the key of the instance that will run it; any instance can then
 * tell from {@code pg_locks} whether that work still has someone running it. When an instance dies, however it dies,
 * its connection closes and PostgreSQL drops the lock, so nothing waits on a timeout and no instance mistakes another
 * live one's work for abandoned, whether or not they share a disk.
 */
@ApplicationScoped
public class InstanceLiveness {

    /** "RKLV": the first key of every instance's lock; the second is the instance's own. */
    public static final int NAMESPACE = 0x524B4C56;
    private static final Logger LOG = Logger.getLogger(InstanceLiveness.class);

    @Inject
    AgroalDataSource dataSource;

    private final SecureRandom random = new SecureRandom();
    private Connection held;
    private int key;

    /**
     * The key this instance's lock is held on, taking the lock first if it is not held (at the first call, or after
     * the database restarted and dropped it). Work recorded under this key is safe from other instances' sweeps.
     */
    public synchronized int key() {
        try {
            if (held == null || !held.isValid(2)) {
                closeQuietly();
                held = lockNewKey();
            }
            return key;
        } catch (SQLException e) {
            closeQuietly();
            throw new IllegalStateException("could not mark this instance as alive in the database", e);
        }
    }

    private Connection lockNewKey() throws SQLException {
        // Outside any transaction: this connection outlives every transaction and must not be enlisted in one.
        Connection connection = QuarkusTransaction.suspendingExisting().call(dataSource::getConnection);
        try {
            connection.setAutoCommit(true);
            // A fresh key each time: after the database drops the lock, work recorded under the old key is not
            // running any more (its connections died with the database) and may be swept.
            for (int attempt = 0; attempt < 16; attempt++) {
                int candidate = random.nextInt(Integer.MAX_VALUE - 1) + 1;
                try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                    statement.setInt(1, NAMESPACE);
                    statement.setInt(2, candidate);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        if (rows.getBoolean(1)) {
                            key = candidate;
                            LOG.debugf("instance key %d", candidate);
                            return connection;
                        }
                    }
                }
            }
            throw new SQLException("no free instance key after 16 draws");
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * An SQL condition, true when the instance whose key is in {@code column} holds its lock. NULL (work recorded
     * before instances had keys) counts as nobody's.
     */
    public static String alive(String column) {
        return "EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
                + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND l.classid = " + NAMESPACE + " AND l.objsubid = 2 AND l.objid = (" + column + ")::oid)";
    }

    @PreDestroy
    synchronized void release() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (held != null) {
            try {
                // Closing a pooled connection returns it; end the session's lock explicitly first.
                try (PreparedStatement statement = held.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                    statement.setInt(1, NAMESPACE);
                    statement.setInt(2, key);
                    statement.execute();
                }
            } catch (SQLException e) {
                // the connection is already gone, and its lock with it
            }
            try {
                held.close();
            } catch (SQLException e) {
                // nothing left to release
            }
            held = null;
        }
    }
}
