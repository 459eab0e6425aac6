package dev.ranklab.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.duckdb.DuckDBDriver;

/**
 * Parquet files with real list and struct columns, as pyarrow and Hugging Face datasets read them: the JSON-lines
 * export is written to a temporary file, and DuckDB's embedded engine converts it with a schema declared per format.
 * The columns are {@link ExportSchema}'s; ratings and flags become structs with one field per response id (r1 … rK,
 * fixed within a campaign).
 */
@ApplicationScoped
public class ParquetExport {

    @Inject
    ExportService exports;

    @Inject
    ConsensusExport consensus;

    /** Writes the Parquet file to {@code out} and returns its number of rows. */
    public long write(long campaignId, ExportOptions options, int responsesPerItem, OutputStream out) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ranklab-parquet");
            Path jsonl = dir.resolve("export.jsonl");
            long rows = jsonLines(campaignId, options, jsonl);
            Path parquet = dir.resolve("export.parquet");
            convert(jsonl, parquet, columns(options, responsesPerItem), dir);
            Files.copy(parquet, out);
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    /** Writes the export's JSON lines to a file and returns how many there are. */
    long jsonLines(long campaignId, ExportOptions options, Path jsonl) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(jsonl), 1 << 16)) {
            return options.consensus()
                    ? consensus.write(campaignId, options, file)
                    : exports.write(campaignId, options, file);
        }
    }

    private static void convert(Path jsonl, Path parquet, String columns, Path scratch) throws IOException {
        try (Connection duck = connect(null, scratch); Statement statement = duck.createStatement()) {
            statement.execute("COPY (" + read(jsonl, columns) + ") TO '" + parquet + "' (" + PARQUET + ")");
        } catch (SQLException e) {
            throw new IOException("could not write the Parquet file: " + e.getMessage(), e);
        }
    }

    /** How every Parquet file of an export is written. */
    static final String PARQUET = "FORMAT PARQUET, COMPRESSION ZSTD";

    /** The query reading JSON lines with the export's declared columns. */
    static String read(Path jsonl, String columns) {
        return "SELECT * FROM read_json('" + jsonl + "', format = 'newline_delimited', columns = " + columns + ")";
    }

    /**
     * An embedded DuckDB, in memory or in {@code database}, kept small: by default it would take most of the
     * machine's memory and cores, and an export is one of many users.
     */
    static Connection connect(Path database, Path scratch) throws SQLException {
        Connection duck = new DuckDBDriver().connect("jdbc:duckdb:" + (database == null ? "" : database),
                new Properties());
        try (Statement statement = duck.createStatement()) {
            statement.execute("SET memory_limit = '256MB'");
            statement.execute("SET threads = 2");
            statement.execute("SET temp_directory = '" + scratch + "'");
        } catch (SQLException e) {
            duck.close();
            throw e;
        }
        return duck;
    }

    /** The Parquet schema of the export, in the JSON lines' field order. */
    static String columns(ExportOptions options, int k) {
        return ExportSchema.duckdbColumns(ExportSchema.fields(options), k);
    }

    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the export itself succeeded or already failed.
        }
    }
}
