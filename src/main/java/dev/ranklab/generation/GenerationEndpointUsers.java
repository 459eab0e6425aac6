package dev.ranklab.generation;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.ranklab.endpoints.EndpointUsers;

/** Tells the endpoints feature which running generation jobs still have requests for an endpoint. */
@ApplicationScoped
public class GenerationEndpointUsers implements EndpointUsers {

    @Inject
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> runningJobsUsing(long endpointId) {
        @SuppressWarnings("unchecked")
        List<Object[]> jobs = em.createNativeQuery("""
                SELECT j.id, j.campaign_id FROM generation_jobs j
                 WHERE j.status = 'RUNNING'
                   AND EXISTS (SELECT 1 FROM generation_slots s WHERE s.job_id = j.id AND s.endpoint_id = ?1
                                  AND s.status IN ('PENDING', 'RUNNING'))
                 ORDER BY j.id""", Object[].class).setParameter(1, endpointId).getResultList();
        return jobs.stream().map(j -> "generation job " + j[0] + " (campaign " + j[1] + ")").toList();
    }

    /** Slots lose the endpoint before it goes (their lock first, as a worker's claim takes them): they then fail. */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(long endpointId) {
        em.createNativeQuery("UPDATE generation_slots SET endpoint_id = NULL WHERE endpoint_id = ?1")
                .setParameter(1, endpointId).executeUpdate();
    }
}
