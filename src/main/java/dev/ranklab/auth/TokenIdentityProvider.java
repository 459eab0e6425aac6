package dev.ranklab.auth;

import jakarta.enterprise.context.ApplicationScoped;
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
        return context.runBlocking(() -> tokens.resolve(token)
                .map(TokenIdentityProvider::identity)
                .orElseThrow(() -> new AuthenticationFailedException("invalid, expired or revoked token")));
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
