package dev.ranklab.audit;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Arc;

import dev.ranklab.web.CurrentUser;

/**
 * Records who did what, in the transaction of the action itself, so an action and its record stand or fall
 * together. The actor is the caller of the current request, or "system" for what the app did by itself (a
 * scheduled retraining, an automatic promotion).
 */
@ApplicationScoped
public class AuditLog {

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Transactional(Transactional.TxType.REQUIRED)
    public void record(String action, String target, Map<String, ?> details) {
        Long actorId = null;
        String actor = "system";
        if (Arc.container().requestContext().isActive()) {
            CurrentUser user = Arc.container().instance(CurrentUser.class).get();
            if (user.isLoggedIn()) {
                actorId = user.getId();
                actor = user.getUsername();
            }
        }
        String detailsJson;
        try {
            detailsJson = json.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit details must be JSON", e);
        }
        em.createNativeQuery("INSERT INTO audit_log (actor_id, actor, action, target, details) "
                + "VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb))")
                .setParameter(1, actorId).setParameter(2, actor).setParameter(3, action).setParameter(4, target)
                .setParameter(5, detailsJson).executeUpdate();
    }
}
