package dev.ranklab.rewardmodel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;

/**
 * The scoring network: a linear term plus a narrow ReLU layer, over standardised {@link Features}. The linear term
 * alone is a strong baseline on small data; the hidden layer can add interactions when there are enough rankings to
 * support them, and early stopping keeps it from memorising when there are not.
 * <p>
 * A parameter file holds a small header (format, feature size, hidden units, the standardisation's means and
 * deviations, the calibration temperature, the L2 strength it was trained with) followed by DJL's own parameter encoding.
 */
public final class RewardNetwork {

    private static final int MAGIC = 0x524B524D; // "RKRM"
    private static final int FORMAT = 1;

    private RewardNetwork() {
    }

    public static Block block(int hidden, float dropout) {
        Block linear = Linear.builder().setUnits(1).build();
        if (hidden <= 0) {
            return linear;
        }
        SequentialBlock mlp = new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(dropout).build())
                .add(Linear.builder().setUnits(1).build());
        return new ParallelBlock(
                outputs -> new NDList(outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow())),
                List.of(linear, mlp));
    }

    /** Everything needed to score with a trained block besides its weights. */
    public record Header(int featureSize, int hidden, float[] means, float[] deviations, float temperature,
            float l2) {

        /** Standardises one feature vector in place of a copy. */
        public float[] standardise(float[] features) {
            float[] out = new float[features.length];
            for (int i = 0; i < features.length; i++) {
                out[i] = (features[i] - means[i]) / deviations[i];
            }
            return out;
        }

        public Header withTemperature(float newTemperature) {
            return new Header(featureSize, hidden, means, deviations, newTemperature, l2);
        }

        public Header withL2(float newL2) {
            return new Header(featureSize, hidden, means, deviations, temperature, newL2);
        }
    }

    public static byte[] save(Header header, Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(header.featureSize());
            out.writeInt(header.hidden());
            for (int i = 0; i < header.featureSize(); i++) {
                out.writeFloat(header.means()[i]);
                out.writeFloat(header.deviations()[i]);
            }
            out.writeFloat(header.temperature());
            out.writeFloat(header.l2());
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    public static Header readHeader(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a Ranklab reward-model file");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("reward-model file format " + format + " is not supported");
        }
        int size = in.readInt();
        int hidden = in.readInt();
        if (size != Features.SIZE) {
            throw new IOException("the file has " + size + " features, this version of Ranklab uses " + Features.SIZE);
        }
        float[] means = new float[size];
        float[] deviations = new float[size];
        for (int i = 0; i < size; i++) {
            means[i] = in.readFloat();
            deviations[i] = in.readFloat();
        }
        float temperature = in.readFloat();
        return new Header(size, hidden, means, deviations, temperature, in.readFloat());
    }

    /** A loaded model: its header and a block with the file's weights, ready for inference or further training. */
    public record Loaded(Header header, Block block) {
    }

    public static Loaded load(byte[] file, NDManager manager, float dropout) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(file))) {
            Header header = readHeader(in);
            Block block = block(header.hidden(), dropout);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, header.featureSize()));
            try {
                block.loadParameters(manager, in);
            } catch (MalformedModelException e) {
                throw new IOException("the reward-model file is damaged: " + e.getMessage(), e);
            }
            return new Loaded(header, block);
        }
    }
}
