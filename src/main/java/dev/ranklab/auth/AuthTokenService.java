package dev.ranklab.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.users.Role;
import dev.ranklab.users.User;
import dev.ranklab.users.UserService;
import dev.ranklab.users.UserSessions;

/** Issues, resolves and revokes session and API tokens. */
@ApplicationScoped
@Transactional
public class AuthTokenService implements UserSessions {

    @Inject
    AuditLog audit;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a valid token says about its holder. */
    public record Holder(long tokenId, long userId, String username, Role role, AuthToken.Kind kind,
            OffsetDateTime expiresAt) {
    }

    /** A token (by hash) or all of a user's tokens were revoked; caches of resolved tokens drop them. */
    public record Revoked(String tokenHash, Long userId) {
    }

    @Inject
    Event<Revoked> revoked;

    /** A freshly issued token: the secret exists only here and in the caller's hands. */
    public record Issued(String token, OffsetDateTime expiresAt) {
    }

    public Issued issue(User user, AuthToken.Kind kind, Duration lifetime) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String prefix = kind == AuthToken.Kind.API ? "rk_api_" : "rk_ses_";
        String token = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        AuthToken stored = new AuthToken();
        stored.user = user;
        stored.kind = kind;
        stored.tokenHash = hash(token);
        stored.createdAt = OffsetDateTime.now();
        stored.expiresAt = stored.createdAt.plus(lifetime);
        stored.persist();
        return new Issued(token, stored.expiresAt);
    }

    /** The holder of a token that exists, has not expired or been revoked, and belongs to an active user. */
    public Optional<Holder> resolve(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        List<Object[]> rows = AuthToken.getEntityManager()
                .createQuery(
                        """
                                select t.id, u.id, u.username, u.role, t.kind, t.lastUsedAt, t.expiresAt from AuthToken t join t.user u
                                where t.tokenHash = :hash and t.revokedAt is null and t.expiresAt > current_timestamp and u.active = true
                                """,
                        Object[].class)
                .setParameter("hash", hash(token)).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        OffsetDateTime lastUsed = (OffsetDateTime) row[5];
        // Written at most once a minute per token, so that reads do not turn every request into a write.
        if (lastUsed == null || lastUsed.isBefore(OffsetDateTime.now().minusMinutes(1))) {
            AuthToken.update("lastUsedAt = ?1 where id = ?2", OffsetDateTime.now(), row[0]);
        }
        return Optional.of(new Holder((Long) row[0], (Long) row[1], (String) row[2], (Role) row[3],
                (AuthToken.Kind) row[4], (OffsetDateTime) row[6]));
    }

    public void revoke(String token) {
        String hash = hash(token);
        AuthToken.update("revokedAt = ?1 where tokenHash = ?2 and revokedAt is null", OffsetDateTime.now(), hash);
        revoked.fire(new Revoked(hash, null));
    }

    /** A user's sessions and API tokens that are still live, newest first. */
    public List<AuthToken> liveTokensOf(long userId) {
        return AuthToken.list("user.id = ?1 and revokedAt is null and expiresAt > ?2 order by createdAt desc",
                userId, OffsetDateTime.now());
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserSessions.TokenView> liveOf(long userId) {
        return liveTokensOf(userId).stream().map(token -> new UserSessions.TokenView(token.id, token.kind.name(),
                token.createdAt, token.expiresAt, token.lastUsedAt)).toList();
    }

    /** Revokes one of a user's tokens; false when the user has no such live token. */
    public boolean revokeById(long userId, long tokenId) {
        AuthToken token = AuthToken.findById(tokenId);
        if (token == null || token.user.id != userId || token.revokedAt != null) {
            return false;
        }
        token.revokedAt = OffsetDateTime.now();
        revoked.fire(new Revoked(token.tokenHash, null));
        audit.record("token.revoke", "user:" + userId, Map.of("tokenId", tokenId, "kind",
                token.kind.name()));
        return true;
    }

    /** A user's role or password changed, or they were deactivated: every session and token of theirs ends. */
    void onCredentialsChanged(@Observes UserService.CredentialsChanged event) {
        revokeAllOf(event.userId());
    }

    void revokeAllOf(long userId) {
        AuthToken.update("revokedAt = ?1 where user.id = ?2 and revokedAt is null", OffsetDateTime.now(), userId);
        revoked.fire(new Revoked(null, userId));
    }

    /** Expired and revoked tokens are kept a week for the audit trail, then removed. */
    @Scheduled(every = "1h", delayed = "1m")
    void purgeOld() {
        OffsetDateTime cutoff = OffsetDateTime.now().minusDays(7);
        AuthToken.delete("expiresAt < ?1 or revokedAt < ?1", cutoff);
    }

    static String hash(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Map<Long, java.time.OffsetDateTime> lastActivity() {
        List<Object[]> rows = AuthToken.getEntityManager().createNativeQuery("""
                SELECT user_id, max(coalesce(last_used_at, created_at)) FROM auth_tokens GROUP BY user_id""",
                Object[].class).getResultList();
        java.util.Map<Long, java.time.OffsetDateTime> last = new java.util.HashMap<>();
        for (Object[] row : rows) {
            Object at = row[1];
            last.put(((Number) row[0]).longValue(), at instanceof java.time.OffsetDateTime time
                    ? time
                    : at instanceof java.time.Instant instant
                            ? instant.atOffset(java.time.ZoneOffset.UTC)
                            : null);
        }
        return last;
    }
}
