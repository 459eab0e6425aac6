package dev.ranklab.endpoints;

import java.util.List;

/**
 * A feature whose running jobs send requests to model endpoints: asked before an endpoint is removed, so that the
 * admin learns which job would lose it (the endpoints feature cannot read other features' tables).
 */
public interface EndpointUsers {

    /** The running jobs that still have requests for the endpoint, in words, e.g. "generation job 12 (campaign 3)". */
    List<String> runningJobsUsing(long endpointId);

    /**
     * Lets go of the endpoint before its row is deleted, in the removing transaction. A feature whose workers lock
     * its own rows before the endpoint's (a claim locks a slot, then takes one of the endpoint's permits) must
     * release them here first: the foreign key's ON DELETE action would otherwise lock them after the endpoint's
     * row, in the opposite order, and deadlock with a worker.
     */
    default void forget(long endpointId) {
    }
}
