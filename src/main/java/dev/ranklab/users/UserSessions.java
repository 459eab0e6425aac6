package dev.ranklab.users;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A user's sessions and API tokens as the user pages show them, answered by the auth feature. Auth depends on users
 * (a token belongs to a user and ends when their credentials change), so users ask through this interface instead of
 * importing auth back.
 */
public interface UserSessions {

    /** A live session or API token, without its secret (which is never stored). */
    record TokenView(long id, String kind, OffsetDateTime createdAt, OffsetDateTime expiresAt,
            OffsetDateTime lastUsedAt) {
    }

    /** The user's sessions and API tokens that are still live, newest first. */
    List<TokenView> liveOf(long userId);

    /**
     * When each user last did something through a session or token (the latest use, or creation, of any of their
     * tokens, live or not), by user id.
     */
    Map<Long, OffsetDateTime> lastActivity();
}
