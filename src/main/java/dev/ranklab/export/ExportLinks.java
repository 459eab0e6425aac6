package dev.ranklab.export;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ranklab.web.CsrfConfig;
import dev.ranklab.web.ProblemException;

/**
 * Short-lived links to one finished export file that need no header, for clients that cannot send one (polars,
 * wget, a notebook on another machine). The link carries its job, its expiry and an HMAC of both under the instance
 * secret (the key that also signs form tokens, under a different label), so it cannot be moved to another job or
 * lengthened, and every replica that shares the secret accepts it.
 */
@ApplicationScoped
public class ExportLinks {

    /** Where the signed downloads live; the link's last segment is the file's name, so tools see its extension. */
    static final String PATH = "/api/v1/export-files";
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    static final Duration MAX_LIFETIME = Duration.ofDays(1);

    @Inject
    CsrfConfig keys;

    /** A link and when it stops working. */
    public record Link(String url, Instant expiresAt) {
    }

    /** A link to the job's file, relative to {@code base} (the API's own address as the caller reached it). */
    public Link create(ExportJob job, Duration lifetime, URI base) {
        Instant expiresAt = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        long expires = expiresAt.getEpochSecond();
        String path = PATH + "/" + job.id + "/" + expires + "/" + signature(job.id, expires) + "/" + job.fileName();
        return new Link(base.resolve(path).toString(), expiresAt);
    }

    /**
     * Checks a link's parts: a signature that does not match is refused with 403, an expired link with 410 (only a
     * genuine link can be told expired, so the signature is checked first).
     */
    public void check(long jobId, long expires, String signature, Instant now) {
        byte[] expected = signature(jobId, expires).getBytes(StandardCharsets.US_ASCII);
        if (signature == null || !MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.forbidden("this download link is not valid (it was changed or made by another "
                    + "installation); ask for a new one with POST /api/v1/exports/" + jobId + "/link");
        }
        if (now.getEpochSecond() >= expires) {
            throw new ProblemException(410, "Gone", "this download link expired at " + Instant.ofEpochSecond(expires)
                    + "; ask for a new one with POST /api/v1/exports/" + jobId + "/link");
        }
    }

    private String signature(long jobId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.signatureKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal(("ranklab-export-file:" + jobId + ":" + expires)
                    .getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
