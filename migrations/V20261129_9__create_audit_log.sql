-- Every admin action (and what the system did on its own): who, when, what. Append-only.

CREATE TABLE audit_log (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    actor_id bigint REFERENCES users (id),
    -- The username at the time, or 'system' for what the app did by itself.
    actor    text        NOT NULL,
    -- What was done, e.g. campaign.create, user.deactivate, reward_model.promote, export.download.
    action   text        NOT NULL,
    -- What it was done to, e.g. campaign:12.
    target   text,
    details  jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);

-- Nothing rewrites history: updates and deletes are refused by the database itself.
CREATE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
