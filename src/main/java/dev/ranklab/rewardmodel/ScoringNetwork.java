package dev.ranklab.rewardmodel;

import java.io.IOException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * A trained reward model loaded for inference on DJL's PyTorch engine. Thread-safe: each call works in its own
 * NDManager, and the weights are only read.
 */
public final class ScoringNetwork implements AutoCloseable {

    private final NDManager manager;
    private final RewardNetwork.Loaded loaded;

    private ScoringNetwork(NDManager manager, RewardNetwork.Loaded loaded) {
        this.manager = manager;
        this.loaded = loaded;
    }

    public static ScoringNetwork load(byte[] file) throws IOException {
        Djl.offline();
        NDManager manager = NDManager.newBaseManager("PyTorch");
        try {
            return new ScoringNetwork(manager, RewardNetwork.load(file, manager, 0f));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public RewardNetwork.Header header() {
        return loaded.header();
    }

    /** One reward per row of unstandardised features. */
    public float[] rewards(float[][] features) {
        if (features.length == 0) {
            return new float[0];
        }
        int size = loaded.header().featureSize();
        float[] flat = new float[features.length * size];
        for (int i = 0; i < features.length; i++) {
            System.arraycopy(loaded.header().standardise(features[i]), 0, flat, i * size, size);
        }
        try (NDManager call = manager.newSubManager()) {
            NDArray x = call.create(flat, new Shape(features.length, size));
            NDList out = loaded.block().forward(new ParameterStore(call, false), new NDList(x), false);
            return out.singletonOrThrow().reshape(-1).toFloatArray();
        }
    }

    /** The rewards of one ranking's responses. */
    public float[] rewards(RankedExample example) {
        float[][] features = new float[example.size()][];
        for (int i = 0; i < example.size(); i++) {
            features[i] = example.features(i);
        }
        return rewards(features);
    }

    @Override
    public void close() {
        manager.close();
    }
}
