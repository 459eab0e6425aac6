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
 *
 * <h2>Input validation</h2>
 * Input from outside is checked by hand in the service that owns it, collecting every error of a request at once
 * into {@code web.InvalidInputException.Collector} (field or line name to a sentence that says what is allowed:
 * {@code overlap}: "must be between 1 and 10 annotators per item, not 12"), so a form re-renders each error beside
 * its field and the API answers one problem document listing them all. Bean Validation is not used, and not a
 * dependency: its messages ("must be greater than or equal to 1") and its separate exception would change what users
 * read for the few plain ranges it could take over, while the rules that matter (a K that must match the campaign's
 * kind, flag codes, assignees that exist) would stay hand-written anyway; two ways of saying "invalid" is one too
 * many.
 */
package dev.ranklab;
