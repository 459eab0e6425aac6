package dev.ranklab.users;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.elytron.security.common.BcryptUtil;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.config.RanklabConfig;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** Creates users and checks passwords; the one place that knows how passwords are stored. */
@ApplicationScoped
@Transactional
public class UserService {

    /** A username: what {@link #validateUsername} accepts, also published as the API schema's pattern. */
    public static final String USERNAME_REGEX = "[A-Za-z0-9][A-Za-z0-9._@-]{1,63}";
    static final Pattern USERNAME = Pattern.compile(USERNAME_REGEX);
    public static final int MIN_PASSWORD = 10;
    public static final int MAX_PASSWORD = 200;
    @Inject
    RanklabConfig config;

    /** Told, inside the transaction, that a user can no longer work: their live leases go back to the pool. */
    public record Deactivated(long userId) {
    }

    @Inject
    Event<Deactivated> deactivated;

    /**
     * Told, inside the transaction, that a user's sessions and API tokens must end: their role or password changed,
     * or they were deactivated.
     */
    public record CredentialsChanged(long userId) {
    }

    @Inject
    Event<CredentialsChanged> credentialsChanged;

    @Inject
    AuditLog audit;

    // Checked against when the username is unknown, so a wrong username costs as long as a wrong password.
    private String dummyHash;

    @PostConstruct
    void prepare() {
        dummyHash = BcryptUtil.bcryptHash("ranklab-dummy-password", config.bcryptCost());
    }

    public User create(String username, String password, Role role) {
        // Every problem at once, so a form shows each next to its field in one round trip.
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        checkUsername(username, errors);
        checkPassword(password, errors);
        if (role == null) {
            errors.add("role", "is required: ANNOTATOR, RESEARCHER or ADMIN");
        }
        errors.throwIfAny();
        if (User.findByUsername(username).isPresent()) {
            throw new InvalidInputException(409, Map.of("username", "'" + username + "' is already taken"));
        }
        User user = new User();
        user.username = username;
        user.passwordHash = BcryptUtil.bcryptHash(password, config.bcryptCost());
        user.role = role;
        user.active = true;
        user.createdAt = OffsetDateTime.now();
        user.updatedAt = user.createdAt;
        user.persist();
        audit.record("user.create", "user:" + user.id, Map.of("username", username, "role", role.name()));
        return user;
    }

    /** The active user with these credentials, in time that does not reveal whether the username exists. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<User> authenticate(String username, String password) {
        if (username == null || password == null || password.length() > MAX_PASSWORD) {
            return Optional.empty();
        }
        Optional<User> user = User.findByUsername(username);
        String hash = user.map(u -> u.passwordHash).orElse(dummyHash);
        boolean matches = BcryptUtil.matches(password, hash);
        return user.filter(u -> matches && u.active);
    }

    /**
     * Changes a user's role, active flag or password (null: unchanged). Deactivating ends their sessions and
     * tokens and releases their leases, and keeps their work; a new password ends their sessions too. The last
     * active admin can be neither demoted nor deactivated.
     */
    @Transactional
    public User update(long id, Role role, Boolean active, String password) {
        if (password != null) {
            validatePassword(password);
        }
        // Two admins demoting each other at once must not both succeed: one transaction at a time decides.
        User.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(7466, 1)").getSingleResult();
        User user = get(id);
        boolean wasActiveAdmin = user.active && user.role == Role.ADMIN;
        boolean staysActiveAdmin = (active == null ? user.active : active)
                && (role == null ? user.role : role) == Role.ADMIN;
        if (wasActiveAdmin && !staysActiveAdmin && User.countActiveAdmins() <= 1) {
            throw new InvalidInputException(409, Map.of(role != null && role != Role.ADMIN ? "role" : "active",
                    "'" + user.username + "' is the last active admin; make another admin first"));
        }
        boolean endSessions = false;
        if (role != null && role != user.role) {
            user.role = role;
            endSessions = true;
        }
        if (active != null && active != user.active) {
            user.active = active;
            if (!active) {
                endSessions = true;
                deactivated.fire(new Deactivated(user.id));
            }
        }
        if (password != null) {
            user.passwordHash = BcryptUtil.bcryptHash(password, config.bcryptCost());
            endSessions = true;
        }
        user.updatedAt = OffsetDateTime.now();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("username", user.username);
        if (role != null) {
            details.put("role", role.name());
        }
        if (active != null) {
            details.put("active", active);
        }
        if (password != null) {
            details.put("passwordReset", true);
        }
        audit.record(active != null && !active ? "user.deactivate" : "user.update", "user:" + user.id, details);
        if (endSessions) {
            credentialsChanged.fire(new CredentialsChanged(user.id));
        }
        return user;
    }

    /** Replaces a user's groups (lowercase labels); campaigns assigned to a group open to its members at once. */
    @Transactional
    public User setGroups(long id, List<String> groups) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        String[] valid = Groups.validated("groups", groups, errors);
        errors.throwIfAny();
        User user = get(id);
        user.groups = valid;
        user.updatedAt = OffsetDateTime.now();
        audit.record("user.groups", "user:" + user.id, Map.of("username", user.username, "groups", List.of(valid)));
        return user;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<User> list() {
        return User.listAllByName();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public User get(long id) {
        User user = User.findById(id);
        if (user == null) {
            throw ProblemException.notFound("no user with id " + id);
        }
        return user;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean anyAdmin() {
        return User.countActiveAdmins() > 0;
    }

    static void validatePassword(String password) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        checkPassword(password, errors);
        errors.throwIfAny();
    }

    private static void checkUsername(String username, InvalidInputException.Collector errors) {
        if (username == null || username.isBlank()) {
            errors.add("username", "is required");
        } else if (!USERNAME.matcher(username).matches()) {
            errors.add("username",
                    "must be 2 to 64 characters: letters, digits and . _ @ -, starting with a letter or digit");
        }
    }

    private static void checkPassword(String password, InvalidInputException.Collector errors) {
        if (password == null || password.length() < MIN_PASSWORD) {
            errors.add("password", "must be at least " + MIN_PASSWORD + " characters");
        } else if (password.length() > MAX_PASSWORD) {
            errors.add("password", "must be at most " + MAX_PASSWORD + " characters");
        }
    }

    /** Usernames by user id, for lists that show who did something. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<Long, String> usernames(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return User.<User>list("id in ?1", Set.copyOf(ids)).stream()
                .collect(Collectors.toMap(user -> user.id, user -> user.username));
    }
}
