package dev.ranklab.users;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

import dev.ranklab.config.RanklabConfig;

/** Creates the first admin on start when the database has none, so a fresh install can be logged into. */
@ApplicationScoped
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    @Inject
    UserService users;

    @Inject
    RanklabConfig config;

    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> {
            // Replicas starting together on one database must not both create the admin.
            User.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(7201001)").getSingleResult();
            if (users.anyAdmin()) {
                return;
            }
            String username = config.admin().username();
            boolean generated = config.admin().password().isEmpty();
            String password = config.admin().password().orElseGet(BootstrapAdmin::generatePassword);
            users.create(username, password, Role.ADMIN);
            if (generated) {
                // Printed once: it exists nowhere else. Set RANKLAB_ADMIN_PASSWORD to choose it instead.
                LOG.infof("Created admin '%s' with generated password: %s", username, password);
            } else {
                LOG.infof("Created admin '%s' from RANKLAB_ADMIN_PASSWORD", username);
            }
        });
    }

    private static String generatePassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
