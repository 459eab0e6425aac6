/**
 * Ranklab, package by feature: each package holds a feature's entities, service, JSON resource ({@code …Api}) and
 * page resource ({@code …Pages}); features cooperate through services, CDI events and small interfaces, and the
 * dependencies between packages run one way (a feature that must ask a feature depending on it declares an
 * interface the other implements, as {@code campaigns.CampaignItems} and {@code audit.AuditTargetNames} do).
 *
 * <h2>Data access</h2>
 * <ul>
 * <li><b>Panache</b> for single-entity CRUD and named finders: an entity's static methods name the query
 * ({@code ItemImport.recentInCampaign}), so a query is written once, beside the entity it reads.</li>
 * <li><b>Native SQL through the {@code EntityManager}</b> for set-based and locking statements (counts over several
 * tables, {@code UPDATE … FROM}, {@code FOR UPDATE SKIP LOCKED}), with typed results mapped to records in one
 * place, so that callers never index an {@code Object[]}.</li>
 * <li><b>Plain JDBC</b> only for what JPA cannot do: reading through a server-side cursor (exports, the audit log
 * export, training data; see {@code database.Snapshot}), {@code COPY}, and batches.</li>
 * <li>Never data access in a resource: {@code …Api} and {@code …Pages} classes call services (or query classes
 * such as {@code audit.AuditQueries}), which own the transactions.</li>
 * </ul>
 */
package dev.ranklab;
