package dev.ranklab.endpoints;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Encrypts endpoints' API keys with AES-256-GCM under a key derived from the instance secret (the one that signs
 * CSRF tokens, see dev.ranklab.Main), so a copy of the database alone does not give the keys away. Every replica
 * shares RANKLAB_SECRET, so every replica can decrypt.
 */
@ApplicationScoped
public class KeyCipher {

    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    KeyCipher(@ConfigProperty(name = "ranklab.csrf.signature-key") String instanceSecret) {
        try {
            // A purpose label keeps this key apart from the CSRF signatures made with the same secret.
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("ranklab model endpoint API keys\0".getBytes(StandardCharsets.UTF_8));
            key = new SecretKeySpec(sha.digest(instanceSecret.getBytes(StandardCharsets.UTF_8)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public String encrypt(String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    /** The key in clear, or an exception saying it cannot be read (the instance secret changed). */
    public String decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("the stored API key is in an unknown format");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored API key cannot be decrypted: was the instance secret "
                    + "(RANKLAB_SECRET or secret.key) changed? Set the key again", e);
        }
    }
}
