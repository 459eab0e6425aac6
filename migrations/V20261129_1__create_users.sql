-- Users, their login sessions and API tokens, and the failed logins that drive throttling.

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text        NOT NULL,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('ANNOTATOR', 'RESEARCHER', 'ADMIN')),
    active        boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Usernames are compared case-insensitively so that "Alice" and "alice" cannot both exist.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

-- Browser sessions and API tokens are the same thing: a random secret, stored only as its SHA-256,
-- that expires and can be revoked. Sessions therefore survive restarts and end for real on logout.
CREATE TABLE auth_tokens (
    id           bigserial PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('SESSION', 'API')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX auth_tokens_hash_key ON auth_tokens (token_hash);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id);

CREATE TABLE login_failures (
    id             bigserial PRIMARY KEY,
    username       text        NOT NULL,
    remote_address text        NOT NULL,
    failed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_user_idx ON login_failures (lower(username), failed_at);
CREATE INDEX login_failures_address_idx ON login_failures (remote_address, failed_at);
