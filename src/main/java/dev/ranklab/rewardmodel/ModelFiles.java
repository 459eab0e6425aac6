package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ranklab.config.RanklabConfig;

/** Parameter files under {@code RANKLAB_DATA_DIR/models/reward}: written whole or not at all, checked on read. */
@ApplicationScoped
public class ModelFiles {

    @Inject
    RanklabConfig config;

    Path directory() {
        return Path.of(config.dataDir(), "models", "reward");
    }

    /** Writes the file as {@code .part}, syncs it and renames it, so a crash never leaves half a model. */
    public Path write(int version, byte[] content) throws IOException {
        Files.createDirectories(directory());
        Path target = directory().resolve("v" + version + ".params");
        Path part = directory().resolve("v" + version + ".params.part");
        Files.write(part, content);
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Reads a version's file and checks it against the sha256 recorded when it was written. */
    public byte[] read(RewardModelVersion version) throws IOException {
        if (version.filePath == null) {
            throw new IOException("version " + version.version + " has no parameter file");
        }
        byte[] content = Files.readAllBytes(Path.of(version.filePath));
        String actual = sha256(content);
        if (!actual.equals(version.fileSha256)) {
            throw new IOException("the parameter file of version " + version.version + " (" + version.filePath
                    + ") does not match its recorded sha256: it was changed or damaged");
        }
        return content;
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
