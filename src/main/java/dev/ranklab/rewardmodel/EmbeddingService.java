package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.rewardmodel.SentenceEncoder.Truncation;

/**
 * Sentence embeddings through a cache in PostgreSQL keyed by sha256 of (encoder, truncation, text): a text is
 * embedded once, whatever the number of trainings, scorings and restarts that need it.
 */
@ApplicationScoped
public class EmbeddingService {

    /**
     * Embeddings in input order, and what it took to get them.
     *
     * @param truncated distinct texts cut to the encoder's limit, cached or new
     */
    public record Embedded(float[][] vectors, int cacheHits, int encoded, int truncated) {
    }

    private static final int LOOKUP_CHUNK = 1_000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RanklabConfig config;

    @Inject
    NativeModels natives;

    private volatile SentenceEncoder encoder;
    private final AtomicLong encodedTexts = new AtomicLong();

    /** The encoder, opened on first use: it costs a second and 100 MB, which a server that never scores needn't. */
    public SentenceEncoder encoder() {
        SentenceEncoder current = encoder;
        if (current == null) {
            synchronized (this) {
                current = encoder;
                if (current == null) {
                    int threads = config.rewardModel().encoderThreads()
                            .orElse(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
                    try {
                        current = SentenceEncoder.open(Path.of(config.dataDir(), "models", "encoder"), threads);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    encoder = current;
                }
            }
        }
        return current;
    }

    /** How many texts the encoder has run on since start (what tests use to prove cache hits). */
    public long encodedTexts() {
        return encodedTexts.get();
    }

    public Embedded embed(List<String> texts, Truncation truncation) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String text : texts) {
            keys.computeIfAbsent(text, t -> key(t, truncation));
        }
        Map<String, Boolean> cut = new HashMap<>();
        Map<String, float[]> found = lookup(keys, cut);
        int hits = found.size();
        List<String> missing = new ArrayList<>();
        for (String text : keys.keySet()) {
            if (!found.containsKey(text)) {
                missing.add(text);
            }
        }
        if (!missing.isEmpty()) {
            SentenceEncoder.Result result = natives.use(() -> encoder().encode(missing, truncation));
            encodedTexts.addAndGet(missing.size());
            store(missing, result, keys);
            for (int i = 0; i < missing.size(); i++) {
                found.put(missing.get(i), result.vectors()[i]);
                cut.put(missing.get(i), result.truncated()[i]);
            }
        }
        int truncated = (int) cut.values().stream().filter(Boolean::booleanValue).count();
        float[][] vectors = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            vectors[i] = found.get(texts.get(i));
        }
        return new Embedded(vectors, hits, missing.size(), truncated);
    }

    static byte[] key(String text, Truncation truncation) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((SentenceEncoder.ID + "\n" + SentenceEncoder.MAX_TOKENS + "\n" + truncation + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            return digest.digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, float[]> lookup(Map<String, byte[]> keys, Map<String, Boolean> cut) {
        Map<String, float[]> found = new HashMap<>();
        Map<ByteBuffer, String> byKey = new HashMap<>();
        keys.forEach((text, key) -> byKey.put(ByteBuffer.wrap(key), text));
        List<byte[]> all = new ArrayList<>(keys.values());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection
                        .prepareStatement("SELECT key, vector, truncated FROM text_embeddings WHERE key = ANY (?)")) {
            for (int start = 0; start < all.size(); start += LOOKUP_CHUNK) {
                List<byte[]> chunk = all.subList(start, Math.min(all.size(), start + LOOKUP_CHUNK));
                Array array = connection.createArrayOf("bytea", chunk.toArray(new byte[0][]));
                statement.setArray(1, array);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String text = byKey.get(ByteBuffer.wrap(rows.getBytes(1)));
                        found.put(text, decode(rows.getBytes(2)));
                        cut.put(text, rows.getBoolean(3));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading cached embeddings failed", e);
        }
        return found;
    }

    private void store(List<String> texts, SentenceEncoder.Result result, Map<String, byte[]> keys) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO text_embeddings (key, vector, truncated)
                        SELECT * FROM unnest(?::bytea[], ?::bytea[], ?::boolean[])
                        ON CONFLICT (key) DO NOTHING
                        """)) {
            for (int start = 0; start < texts.size(); start += LOOKUP_CHUNK) {
                int end = Math.min(texts.size(), start + LOOKUP_CHUNK);
                byte[][] keyColumn = new byte[end - start][];
                byte[][] vectorColumn = new byte[end - start][];
                Boolean[] truncatedColumn = new Boolean[end - start];
                for (int i = start; i < end; i++) {
                    keyColumn[i - start] = keys.get(texts.get(i));
                    vectorColumn[i - start] = encode(result.vectors()[i]);
                    truncatedColumn[i - start] = result.truncated()[i];
                }
                statement.setArray(1, connection.createArrayOf("bytea", keyColumn));
                statement.setArray(2, connection.createArrayOf("bytea", vectorColumn));
                statement.setArray(3, connection.createArrayOf("boolean", truncatedColumn));
                statement.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing embeddings failed", e);
        }
    }

    static byte[] encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    static float[] decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.length / 4];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = buffer.getFloat();
        }
        return vector;
    }

    @PreDestroy
    void close() {
        SentenceEncoder open = encoder;
        if (open != null) {
            natives.closeWhenUnused("the sentence encoder", config.rewardModel().shutdownGrace(), open::close);
        }
    }
}
