package dev.ranklab.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Turns a session or API token into an identity with the holder's roles. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    public static final String USER_ID = "ranklab.userId";
    public static final String TOKEN_KIND = "ranklab.tokenKind";

    // A few seconds of caching spares every request a database round trip and a transaction. Revocation clears
    // this instance's entry at once; other instances notice within the lifetime below.
    static final long CACHE_MILLIS = 10_000;
    private static final int CACHE_LIMIT = 50_000;

    private record Cached(AuthTokenService.Holder holder, long until) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @Inject
    AuthTokenService tokens;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        String hash = AuthTokenService.hash(token);
        Cached cached = cache.get(hash);
        if (cached != null && cached.until() > System.currentTimeMillis()) {
            return Uni.createFrom().item(identity(cached.holder()));
        }
        return context.runBlocking(() -> {
            AuthTokenService.Holder holder = tokens.resolve(token)
                    .orElseThrow(() -> new AuthenticationFailedException("invalid, expired or revoked token"));
            if (cache.size() > CACHE_LIMIT) {
                cache.clear();
            }
            long until = Math.min(System.currentTimeMillis() + CACHE_MILLIS,
                    holder.expiresAt().toInstant().toEpochMilli());
            cache.put(hash, new Cached(holder, until));
            return identity(holder);
        });
    }

    void onRevoked(@Observes AuthTokenService.Revoked revoked) {
        if (revoked.tokenHash() != null) {
            cache.remove(revoked.tokenHash());
        }
        if (revoked.userId() != null) {
            cache.values().removeIf(entry -> entry.holder().userId() == revoked.userId());
        }
    }

    private static SecurityIdentity identity(AuthTokenService.Holder holder) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(holder.username()))
                .addRoles(holder.role().grantedRoles())
                .addAttribute(USER_ID, holder.userId())
                .addAttribute(TOKEN_KIND, holder.kind())
                .build();
    }
}
