-- Settings that belong to this installation's data rather than to its configuration.

CREATE TABLE instance_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Salt for annotator pseudonyms in exports: stable for an installation, so the same annotator keeps the same
-- pseudonym in every export of a campaign, yet not derivable from user ids by anyone without the database.
INSERT INTO instance_settings (key, value)
VALUES ('pseudonym_salt', md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text));
