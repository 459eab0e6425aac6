package dev.ranklab.endpoints;

import java.util.List;

/**
 * A feature whose running jobs send requests to model endpoints: asked before an endpoint is removed, so that the
 * admin learns which job would lose it (the endpoints feature cannot read other features' tables).
 */
public interface EndpointUsers {

    /** The running jobs that still have requests for the endpoint, in words, e.g. "generation job 12 (campaign 3)". */
    List<String> runningJobsUsing(long endpointId);
}
