package dev.ranklab.campaigns;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.users.Groups;
import dev.ranklab.users.User;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** Creates, changes and lists campaigns, enforcing their settings' ranges and the status lifecycle. */
@ApplicationScoped
@Transactional
public class CampaignService {

    @Inject
    AuditLog audit;

    static final int MAX_NAME = 200;
    static final int MAX_GUIDELINES = 100_000;
    static final int MAX_FLAGS = 40;
    static final int MAX_FLAG_LABEL = 200;
    static final int DEFAULT_LEASE_MINUTES = 30;
    static final int MAX_SKIP_REASONS = 20;
    static final int MAX_SKIP_REASON = 200;
    /** What a new campaign offers when skipping, unless it is given its own list. */
    static final List<String> DEFAULT_SKIP_REASONS = List.of("Outside my expertise", "The prompt is unclear or broken",
            "A language I do not read", "Content I should not review");
    private static final Pattern FLAG_CODE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");

    @Inject
    CampaignItems items;

    @Inject
    Event<OverlapChanged> overlapChanged;

    public Campaign create(CampaignInput input, Long userId) {
        return create(input, userId, new InvalidInputException.Collector());
    }

    /**
     * Creates the campaign unless {@code errors}, which may already hold the form's own (numbers that did not
     * parse), or any of the checks here fail: then every error is reported at once.
     */
    public Campaign create(CampaignInput input, Long userId, InvalidInputException.Collector errors) {
        Campaign campaign = new Campaign();
        campaign.status = CampaignStatus.DRAFT;
        campaign.name = validName(input.name(), errors);
        campaign.kind = parseKind(input.kind(), errors);
        campaign.responsesPerItem = validK(campaign.kind, input.responsesPerItem(), true, errors);
        campaign.overlap = validOverlap(input.overlap() == null ? 1 : input.overlap(), errors);
        campaign.guidelines = validGuidelines(input.guidelines() == null ? "" : input.guidelines(), errors);
        campaign.leaseMinutes = validLease(input.leaseMinutes() == null
                ? DEFAULT_LEASE_MINUTES
                : input.leaseMinutes(), errors);
        campaign.flags = input.flags() == null ? Flag.INSTRUCTGPT_DEFAULTS : validFlags(input.flags(), errors);
        campaign.skipsCountTowardOverlap = Boolean.TRUE.equals(input.skipsCountTowardOverlap());
        campaign.demonstrationMinChars = input.demonstrationMinChars() == null ? 1 : input.demonstrationMinChars();
        campaign.demonstrationMaxChars = input.demonstrationMaxChars() == null
                ? 20_000
                : input.demonstrationMaxChars();
        validDemonstrationLengths(campaign, errors);
        campaign.queuePolicy = input.queuePolicy() == null
                ? QueuePolicy.MOST_ANNOTATED_FIRST
                : parseQueuePolicy(input.queuePolicy(), errors);
        campaign.showScoresToAnnotators = Boolean.TRUE.equals(input.showScoresToAnnotators());
        campaign.maxTasksPerAnnotator = validCap(input.maxTasksPerAnnotator(), errors);
        campaign.goldFirstTasks = validGoldFirst(input.goldFirstTasks() == null ? 0 : input.goldFirstTasks(), errors);
        campaign.goldPercent = validGoldPercent(input.goldPercent() == null ? 0 : input.goldPercent(), errors);
        if (input.assignedAnnotators() != null) {
            campaign.assignedAnnotators = assignees(input.assignedAnnotators(), errors);
        }
        if (input.assignedGroups() != null) {
            campaign.assignedGroups = Groups.validated("assignedGroups", input.assignedGroups(), errors);
        }
        campaign.ratingsRequired = !Boolean.FALSE.equals(input.ratingsRequired());
        campaign.skipReasons = input.skipReasons() == null
                ? DEFAULT_SKIP_REASONS.toArray(String[]::new)
                : validSkipReasons(input.skipReasons(), errors);
        campaign.skipReasonRequired = Boolean.TRUE.equals(input.skipReasonRequired());
        validGoldKind(campaign, errors);
        if (input.status() != null && !"DRAFT".equals(input.status())) {
            errors.add("status", "a new campaign starts as DRAFT; activate it with PATCH once it is ready");
        }
        errors.throwIfAny();
        if (Campaign.findByName(campaign.name).isPresent()) {
            throw new InvalidInputException(409, Map.of("name", "a campaign named '" + campaign.name
                    + "' already exists"));
        }
        campaign.createdBy = userId;
        campaign.createdAt = OffsetDateTime.now();
        campaign.updatedAt = campaign.createdAt;
        campaign.persist();
        audit.record("campaign.create", "campaign:" + campaign.id, input.auditDetails());
        return campaign;
    }

    /** Applies the fields present in {@code input}; the rest stay as they are. */
    public Campaign update(long id, CampaignInput input) {
        return update(id, input, new InvalidInputException.Collector());
    }

    /** As {@link #update(long, CampaignInput)}, reporting the form's own {@code errors} with those found here. */
    public Campaign update(long id, CampaignInput input, InvalidInputException.Collector errors) {
        Campaign campaign = Campaign.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (campaign == null) {
            throw notFound(id);
        }
        if (campaign.status == CampaignStatus.ARCHIVED) {
            throw ProblemException
                    .conflict("campaign '" + campaign.name + "' is archived and can no longer be changed");
        }
        boolean hasItems = items.countIn(id) > 0;
        int overlapBefore = campaign.overlap;
        boolean skipsBefore = campaign.skipsCountTowardOverlap;
        String takenName = null;
        if (input.name() != null) {
            String name = validName(input.name(), errors);
            if (name != null && Campaign.findByName(name).filter(other -> !other.id.equals(id)).isPresent()) {
                takenName = name;
            }
            campaign.name = name;
        }
        CampaignKind kind = campaign.kind;
        if (input.kind() != null) {
            kind = parseKind(input.kind(), errors);
            if (kind != null && kind != campaign.kind && hasItems) {
                errors.add("kind", "cannot change the kind of a campaign that already has items");
            }
        }
        if (input.responsesPerItem() != null || kind != campaign.kind) {
            Integer k = input.responsesPerItem() != null
                    ? input.responsesPerItem()
                    : kind == CampaignKind.RANKING ? campaign.responsesPerItem : null;
            Integer validated = validK(kind, k, kind != campaign.kind, errors);
            if (hasItems && validated != null && !validated.equals(campaign.responsesPerItem)) {
                errors.add("responsesPerItem", "cannot change K of a campaign that already has items");
            }
            campaign.responsesPerItem = validated;
        }
        if (kind != null) {
            campaign.kind = kind;
        }
        if (input.overlap() != null) {
            campaign.overlap = validOverlap(input.overlap(), errors);
        }
        if (input.guidelines() != null) {
            campaign.guidelines = validGuidelines(input.guidelines(), errors);
        }
        if (input.leaseMinutes() != null) {
            campaign.leaseMinutes = validLease(input.leaseMinutes(), errors);
        }
        if (input.flags() != null) {
            campaign.flags = validFlags(input.flags(), errors);
        }
        if (input.skipsCountTowardOverlap() != null) {
            campaign.skipsCountTowardOverlap = input.skipsCountTowardOverlap();
        }
        if (input.demonstrationMinChars() != null) {
            campaign.demonstrationMinChars = input.demonstrationMinChars();
        }
        if (input.demonstrationMaxChars() != null) {
            campaign.demonstrationMaxChars = input.demonstrationMaxChars();
        }
        if (input.queuePolicy() != null) {
            campaign.queuePolicy = parseQueuePolicy(input.queuePolicy(), errors);
        }
        if (input.showScoresToAnnotators() != null) {
            campaign.showScoresToAnnotators = input.showScoresToAnnotators();
        }
        if (input.maxTasksPerAnnotator() != null) {
            campaign.maxTasksPerAnnotator = validCap(input.maxTasksPerAnnotator(), errors);
        }
        if (input.goldFirstTasks() != null) {
            campaign.goldFirstTasks = validGoldFirst(input.goldFirstTasks(), errors);
        }
        if (input.goldPercent() != null) {
            campaign.goldPercent = validGoldPercent(input.goldPercent(), errors);
        }
        if (input.assignedAnnotators() != null) {
            campaign.assignedAnnotators = assignees(input.assignedAnnotators(), errors);
        }
        if (input.assignedGroups() != null) {
            campaign.assignedGroups = Groups.validated("assignedGroups", input.assignedGroups(), errors);
        }
        if (input.ratingsRequired() != null) {
            campaign.ratingsRequired = input.ratingsRequired();
        }
        if (input.skipReasons() != null) {
            campaign.skipReasons = validSkipReasons(input.skipReasons(), errors);
        }
        if (input.skipReasonRequired() != null) {
            campaign.skipReasonRequired = input.skipReasonRequired();
        }
        validDemonstrationLengths(campaign, errors);
        validGoldKind(campaign, errors);
        if (input.status() != null) {
            CampaignStatus target = parseStatus(input.status(), errors);
            if (target != null && target != campaign.status) {
                if (!campaign.status.canMoveTo(target)) {
                    errors.add("status", "cannot go from " + campaign.status + " to " + target + "; from "
                            + campaign.status + " a campaign can go to " + describe(campaign.status.next()));
                } else {
                    campaign.status = target;
                }
            }
        }
        errors.throwIfAny();
        if (takenName != null) {
            // The same answer as creating a second campaign of that name.
            throw new InvalidInputException(409, Map.of("name", "a campaign named '" + takenName
                    + "' already exists"));
        }
        if (!Campaign.getEntityManager().unwrap(Session.class).isDirty()) {
            // Nothing changed: no new update time, no empty audit entry, nothing to recount.
            return campaign;
        }
        campaign.updatedAt = OffsetDateTime.now();
        // A PATCH may change the status and settings at once: each is logged as what it is.
        Map<String, Object> details = input.auditDetails();
        Object status = details.remove("status");
        if (status != null) {
            audit.record("campaign.status", "campaign:" + id, Map.of("status", status));
        }
        if (status == null || !details.isEmpty()) {
            audit.record("campaign.update", "campaign:" + id, details);
        }
        if (campaign.overlap != overlapBefore || campaign.skipsCountTowardOverlap != skipsBefore) {
            campaign.flush();
            overlapChanged.fire(new OverlapChanged(id));
        }
        return campaign;
    }

    /** Fired inside the transaction that changed how many annotations an item needs. */
    public record OverlapChanged(long campaignId) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Campaign get(long id) {
        Campaign campaign = Campaign.findById(id);
        if (campaign == null) {
            throw notFound(id);
        }
        return campaign;
    }

    /**
     * A campaign the caller may see: annotators see only active ones that are open to them (assigned to them or
     * their groups, or to everyone), and get 404 for the rest, so that a campaign's existence does not leak.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Campaign getVisible(long id, boolean seesAll, long userId) {
        Campaign campaign = get(id);
        if (!seesAll
                && (campaign.status != CampaignStatus.ACTIVE || !campaign.isOpenTo(userId, () -> groupsOf(userId)))) {
            throw notFound(id);
        }
        return campaign;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Campaign> list(boolean seesAll, long userId) {
        if (seesAll) {
            return Campaign.listNewestFirst();
        }
        return Campaign.listWithStatus(CampaignStatus.ACTIVE).stream()
                .filter(c -> c.isOpenTo(userId, () -> groupsOf(userId))).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public CampaignView view(Campaign campaign) {
        List<String> assignees = campaign.assignedAnnotators.length == 0
                ? List.of()
                : User.<User>list("id in ?1", Arrays.asList(campaign.assignedAnnotators)).stream()
                        .map(user -> user.username).sorted().toList();
        return CampaignView.of(campaign, items.countIn(campaign.id), assignees);
    }

    private static String[] groupsOf(long userId) {
        User user = User.findById(userId);
        return user == null ? new String[0] : user.groups;
    }

    /** Usernames to user ids; each unknown name is reported. */
    private static Long[] assignees(List<String> usernames, InvalidInputException.Collector errors) {
        Set<Long> ids = new TreeSet<>();
        for (String name : usernames) {
            if (name == null) {
                errors.add("assignedAnnotators", "a username is a string, not null");
                continue;
            }
            if (name.isBlank()) {
                continue;
            }
            User.findByUsername(name.strip()).ifPresentOrElse(user -> ids.add(user.id),
                    () -> errors.add("assignedAnnotators", "no user named '" + abbreviate(name.strip()) + "'"));
        }
        return ids.toArray(Long[]::new);
    }

    static ProblemException notFound(long id) {
        return ProblemException.notFound("no campaign with id " + id);
    }

    private static String describe(Set<CampaignStatus> statuses) {
        return statuses.isEmpty()
                ? "nothing (it is final)"
                : statuses.stream().map(Enum::name).sorted().collect(Collectors.joining(" or "));
    }

    private static String validName(String name, InvalidInputException.Collector errors) {
        if (name == null || name.isBlank()) {
            errors.add("name", "is required");
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_NAME) {
            errors.add("name", "must be at most " + MAX_NAME + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            errors.add("name", "must not contain control characters");
        }
        return trimmed;
    }

    private static CampaignKind parseKind(String kind, InvalidInputException.Collector errors) {
        if (kind == null || kind.isBlank()) {
            errors.add("kind", "is required: RANKING or DEMONSTRATION");
            return null;
        }
        try {
            return CampaignKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add("kind", "must be RANKING or DEMONSTRATION, not '" + abbreviate(kind) + "'");
            return null;
        }
    }

    private static CampaignStatus parseStatus(String status, InvalidInputException.Collector errors) {
        try {
            return CampaignStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add("status", "must be one of DRAFT, ACTIVE, PAUSED, ARCHIVED, not '" + abbreviate(status) + "'");
            return null;
        }
    }

    private static Integer validK(CampaignKind kind, Integer k, boolean required,
            InvalidInputException.Collector errors) {
        if (kind == null) {
            return k;
        }
        if (kind == CampaignKind.DEMONSTRATION) {
            if (k != null) {
                errors.add("responsesPerItem", "applies only to RANKING campaigns; leave it out");
            }
            return null;
        }
        if (k == null) {
            if (required) {
                errors.add("responsesPerItem", "is required for a RANKING campaign: 2 to 9");
            }
            return null;
        }
        if (k < 2 || k > 9) {
            errors.add("responsesPerItem", "must be between 2 and 9, not " + k);
        }
        return k;
    }

    private static int validOverlap(int overlap, InvalidInputException.Collector errors) {
        if (overlap < 1 || overlap > 10) {
            errors.add("overlap", "must be between 1 and 10 annotators per item, not " + overlap);
        }
        return overlap;
    }

    private static String validGuidelines(String guidelines, InvalidInputException.Collector errors) {
        if (guidelines.length() > MAX_GUIDELINES) {
            errors.add("guidelines", "must be at most " + MAX_GUIDELINES + " characters");
        }
        if (guidelines.indexOf('\0') >= 0) {
            errors.add("guidelines", "must not contain NUL characters");
        }
        return guidelines;
    }

    private static void validDemonstrationLengths(Campaign campaign, InvalidInputException.Collector errors) {
        if (campaign.demonstrationMinChars < 1) {
            errors.add("demonstrationMinChars", "must be at least 1");
        }
        if (campaign.demonstrationMaxChars > 200_000) {
            errors.add("demonstrationMaxChars", "must be at most 200000");
        }
        if (campaign.demonstrationMinChars > campaign.demonstrationMaxChars) {
            errors.add("demonstrationMaxChars", "must not be below demonstrationMinChars");
        }
    }

    private static int validLease(int minutes, InvalidInputException.Collector errors) {
        if (minutes < 1 || minutes > 1440) {
            errors.add("leaseMinutes", "must be between 1 and 1440 minutes, not " + minutes);
        }
        return minutes;
    }

    static List<Flag> validFlags(List<CampaignInput.FlagInput> input, InvalidInputException.Collector errors) {
        if (input.size() > MAX_FLAGS) {
            errors.add("flags", "at most " + MAX_FLAGS + " flags");
            return List.of();
        }
        List<Flag> flags = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            CampaignInput.FlagInput flag = input.get(i);
            String code = flag == null || flag.code() == null ? "" : flag.code().strip();
            if (!FLAG_CODE.matcher(code).matches()) {
                errors.add("flags", "flag " + (i + 1) + ": code '" + abbreviate(code)
                        + "' must be 1 to 50 lowercase letters, digits, '_' or '-'");
                continue;
            }
            if (!seen.add(code)) {
                errors.add("flags", "flag " + (i + 1) + ": code '" + code + "' appears twice");
                continue;
            }
            String label = flag.label() == null || flag.label().isBlank() ? code : flag.label().strip();
            if (label.length() > MAX_FLAG_LABEL) {
                errors.add("flags", "flag " + (i + 1) + ": label must be at most " + MAX_FLAG_LABEL + " characters");
                continue;
            }
            flags.add(new Flag(code, label));
        }
        return List.copyOf(flags);
    }

    /** Preset skip reasons: each 1 to 200 characters on one line, none twice (case aside), at most 20. */
    static String[] validSkipReasons(List<String> input, InvalidInputException.Collector errors) {
        if (input.size() > MAX_SKIP_REASONS) {
            errors.add("skipReasons", "at most " + MAX_SKIP_REASONS + " reasons");
            return new String[0];
        }
        List<String> reasons = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            String reason = input.get(i) == null ? "" : input.get(i).strip();
            if (reason.isEmpty()) {
                errors.add("skipReasons", "reason " + (i + 1) + " is empty");
            } else if (reason.length() > MAX_SKIP_REASON) {
                errors.add("skipReasons", "reason " + (i + 1) + " must be at most " + MAX_SKIP_REASON + " characters");
            } else if (reason.chars().anyMatch(Character::isISOControl)) {
                errors.add("skipReasons", "reason " + (i + 1) + " must be one line without control characters");
            } else if (!seen.add(reason.toLowerCase(Locale.ROOT))) {
                errors.add("skipReasons", "reason " + (i + 1) + " ('" + abbreviate(reason) + "') appears twice");
            } else {
                reasons.add(reason);
            }
        }
        return reasons.toArray(String[]::new);
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    /** 0 (or absent) means no cap. */
    private static Integer validCap(Integer cap, InvalidInputException.Collector errors) {
        if (cap == null || cap == 0) {
            return null;
        }
        if (cap < 0 || cap > 1_000_000) {
            errors.add("maxTasksPerAnnotator", "must be between 1 and 1000000, or 0 for no cap");
            return null;
        }
        return cap;
    }

    private static void validGoldKind(Campaign campaign, InvalidInputException.Collector errors) {
        if (campaign.kind == CampaignKind.DEMONSTRATION && (campaign.goldFirstTasks > 0 || campaign.goldPercent > 0)) {
            errors.add(campaign.goldFirstTasks > 0 ? "goldFirstTasks" : "goldPercent",
                    "gold items have a reference ranking, so they apply only to RANKING campaigns");
        }
    }

    private static int validGoldFirst(int tasks, InvalidInputException.Collector errors) {
        if (tasks < 0 || tasks > 1000) {
            errors.add("goldFirstTasks", "must be between 0 and 1000 tasks, not " + tasks);
        }
        return tasks;
    }

    private static int validGoldPercent(int percent, InvalidInputException.Collector errors) {
        if (percent < 0 || percent > 100) {
            errors.add("goldPercent", "must be between 0 and 100, not " + percent);
        }
        return percent;
    }

    private static QueuePolicy parseQueuePolicy(String value, InvalidInputException.Collector errors) {
        try {
            return QueuePolicy.valueOf(value);
        } catch (IllegalArgumentException e) {
            errors.add("queuePolicy", "must be MOST_ANNOTATED_FIRST or UNCERTAINTY_FIRST");
            return QueuePolicy.MOST_ANNOTATED_FIRST;
        }
    }
}
