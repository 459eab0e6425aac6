package dev.ranklab.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.quality.Agreement;
import dev.ranklab.quality.AgreementService;

/**
 * A Hugging Face dataset folder in one zip archive: {@code README.md}, a dataset card whose YAML header declares the
 * splits' data files and the features, and {@code data/<split>-00000-of-00001.parquet} per split (by prompt, so no
 * prompt is in two splits). Unpacked, {@code datasets.load_dataset(folder)} gives a DatasetDict, and the folder is
 * ready for the hub's upload tool. The Parquet files have the same columns as {@code file=parquet}.
 */
@ApplicationScoped
public class HfDatasetExport {

    /** The splits in the order a dataset lists them; train is always written, the others when they have rows. */
    static final List<String> SPLITS = List.of("train", "validation", "test");

    @Inject
    ParquetExport parquet;

    @Inject
    AgreementService agreement;

    /** What the card says about the rows of one split. */
    record SplitCount(String name, long rows, long prompts) {
    }

    /** What the card says about the whole export. */
    record Counts(List<SplitCount> splits, Long annotators, Long rankings) {

        long rows() {
            return splits.stream().mapToLong(SplitCount::rows).sum();
        }
    }

    /**
     * Writes the archive to {@code out} and returns the number of rows.
     *
     * @param folder the name of the folder the archive unpacks to
     */
    public long write(Campaign campaign, ExportOptions options, String folder, OutputStream out) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ranklab-hf");
            Path jsonl = dir.resolve("export.jsonl");
            parquet.jsonLines(campaign.id, options, jsonl);
            int k = campaign.responsesPerItem == null ? 0 : campaign.responsesPerItem;
            List<ExportSchema.Field> fields = ExportSchema.fields(options);
            Path data = Files.createDirectories(dir.resolve("data"));
            Counts counts = splitFiles(jsonl, ExportSchema.duckdbColumns(fields, k), fields, options.consensus(), dir,
                    data);
            String card = HfDatasetCard.render(campaign, options, fields, k, counts, agreement(campaign));
            // Finished, not closed: the caller owns the stream underneath.
            ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
            zip.putNextEntry(new ZipEntry(folder + "/README.md"));
            zip.write(card.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            for (SplitCount split : counts.splits()) {
                stored(zip, folder + "/data/" + fileName(split.name()), data.resolve(fileName(split.name())));
            }
            zip.finish();
            return counts.rows();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            ParquetExport.delete(dir);
        }
    }

    static String fileName(String split) {
        return split + "-00000-of-00001.parquet";
    }

    /** Reads the lines once into a disk-backed DuckDB table, then writes each split's rows in export order. */
    private static Counts splitFiles(Path jsonl, String columns, List<ExportSchema.Field> fields, boolean consensus,
            Path scratch, Path data) throws IOException {
        Map<String, SplitCount> splits = new LinkedHashMap<>();
        Long annotators = null;
        Long rankings = null;
        try (Connection duck = ParquetExport.connect(scratch.resolve("split.duckdb"), scratch);
                Statement statement = duck.createStatement()) {
            statement.execute("SET preserve_insertion_order = true");
            statement.execute("CREATE TABLE export AS " + ParquetExport.read(jsonl, columns));
            String prompt = fields.get(0).name().equals("messages")
                    ? "list_slice(messages, 1, len(messages) - 1)"
                    : "prompt";
            try (ResultSet rows = statement.executeQuery("SELECT split, count(*), count(DISTINCT " + prompt
                    + ") FROM export GROUP BY split")) {
                while (rows.next()) {
                    splits.put(rows.getString(1), new SplitCount(rows.getString(1), rows.getLong(2),
                            rows.getLong(3)));
                }
            }
            // A consensus line is no one annotator's.
            if (has(fields, "annotator") && !consensus) {
                annotators = single(statement, "SELECT count(DISTINCT annotator) FROM export");
            }
            if (has(fields, "rankingId")) {
                rankings = single(statement, "SELECT count(DISTINCT rankingId) FROM export");
            }
            List<SplitCount> written = new ArrayList<>();
            for (String split : SPLITS) {
                SplitCount count = splits.getOrDefault(split, new SplitCount(split, 0, 0));
                if (count.rows() > 0 || split.equals("train")) {
                    statement.execute("COPY (SELECT * FROM export WHERE split = '" + split + "') TO '"
                            + data.resolve(fileName(split)) + "' (" + ParquetExport.PARQUET + ")");
                    written.add(count);
                }
            }
            return new Counts(written, annotators, rankings);
        } catch (SQLException e) {
            throw new IOException("could not write the dataset's Parquet files: " + e.getMessage(), e);
        }
    }

    private static boolean has(List<ExportSchema.Field> fields, String name) {
        return fields.stream().anyMatch(field -> field.name().equals(name));
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The campaign's agreement among annotators, for rankings; null for demonstrations. */
    private Agreement.Result agreement(Campaign campaign) {
        if (campaign.kind != CampaignKind.RANKING) {
            return null;
        }
        // A job runs on a worker thread, outside any request; the agreement reads its own snapshot, so it needs a
        // request context (for the campaign's lookup), not a transaction.
        ManagedContext context = Arc.container().requestContext();
        context.activate();
        try {
            return agreement.of(campaign.id, false, AgreementService.DEFAULT_FLAG_BELOW);
        } finally {
            context.terminate();
        }
    }

    /** A Parquet file is compressed already: stored as is, which needs its size and checksum first. */
    private static void stored(ZipOutputStream zip, String name, Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                crc.update(buffer, 0, n);
            }
        }
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(Files.size(file));
        entry.setCompressedSize(Files.size(file));
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        Files.copy(file, zip);
        zip.closeEntry();
    }
}
