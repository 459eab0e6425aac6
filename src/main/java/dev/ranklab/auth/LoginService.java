package dev.ranklab.auth;

import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.users.User;
import dev.ranklab.users.UserService;
import dev.ranklab.web.ProblemException;

/**
 * Exchanges a username and password for a session or API token, throttling repeated failures from one address.
 */
@ApplicationScoped
public class LoginService {

    private static final Logger LOG = Logger.getLogger(LoginService.class);

    // One address may fail this many times more than one account may, across all the usernames it tries.
    private static final int ADDRESS_FACTOR = 10;

    @Inject
    UserService users;

    @Inject
    AuthTokenService tokens;

    @Inject
    RanklabConfig config;

    /** Thrown for a wrong username or password; deliberately does not say which. */
    public static class BadCredentials extends ProblemException {

        public BadCredentials() {
            super(401, "Unauthorized", "wrong username or password");
        }
    }

    @Transactional(dontRollbackOn = BadCredentials.class)
    public AuthTokenService.Issued login(String username, String password, String remoteAddress,
            AuthToken.Kind kind) {
        String address = remoteAddress == null ? "unknown" : remoteAddress;
        String name = username == null ? "" : username.trim();
        Duration window = config.login().window();
        OffsetDateTime since = OffsetDateTime.now().minus(window);
        int max = config.login().maxFailures();
        if (LoginFailure.countSince(name, address, since) >= max
                || LoginFailure.countFromAddressSince(address, since) >= (long) max * ADDRESS_FACTOR) {
            LOG.warnf("Login refused for '%s' from %s: too many failed attempts", clip(name), address);
            throw ProblemException.tooManyRequests("too many failed logins; try again in " + window.toMinutes()
                    + " minutes", window);
        }
        User user = users.authenticate(name, password).orElse(null);
        if (user == null) {
            LoginFailure failure = new LoginFailure();
            failure.username = name.length() > 200 ? name.substring(0, 200) : name;
            failure.remoteAddress = address;
            failure.failedAt = OffsetDateTime.now();
            failure.persist();
            // Who and from where, for operators watching for guessing; never what was typed as the password.
            LOG.infof("Login failed for '%s' from %s", clip(name), address);
            throw new BadCredentials();
        }
        LoginFailure.delete("lower(username) = lower(?1) and remoteAddress = ?2", name, address);
        Duration lifetime = kind == AuthToken.Kind.API ? config.apiToken().lifetime() : config.session().lifetime();
        return tokens.issue(user, kind, lifetime);
    }

    /** A username as typed, shortened and stripped of line breaks, so that it cannot forge log lines. */
    private static String clip(String name) {
        String oneLine = name.replaceAll("[\\r\\n\\t]", " ");
        return oneLine.length() > 64 ? oneLine.substring(0, 64) + "…" : oneLine;
    }

    @Scheduled(every = "1h", delayed = "2m")
    @Transactional
    void purgeOldFailures() {
        LoginFailure.delete("failedAt < ?1", OffsetDateTime.now().minus(config.login().window()).minusDays(1));
    }
}
