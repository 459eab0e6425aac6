package dev.ranklab.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The key that signs CSRF tokens. From {@code RANKLAB_SECRET} when set (every replica of a deployment must share
 * it), otherwise generated once and kept in the data directory, so that restarts do not invalidate open forms.
 */
public final class InstanceSecret {

    private static final int MIN_LENGTH = 32;

    private InstanceSecret() {
    }

    public static String load(Path dataDir) throws IOException {
        String configured = System.getenv("RANKLAB_SECRET");
        if (configured != null && !configured.isBlank()) {
            if (configured.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("RANKLAB_SECRET must be at least " + MIN_LENGTH + " characters");
            }
            return configured;
        }
        Path file = dataDir.resolve("secret.key");
        if (Files.isRegularFile(file)) {
            String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (stored.length() >= MIN_LENGTH) {
                return stored;
            }
        }
        Files.createDirectories(dataDir);
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String generated = HexFormat.of().formatHex(bytes);
        Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the file keeps the directory's permissions.
        }
        return generated;
    }
}
