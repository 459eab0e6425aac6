package dev.ranklab.campaigns;

import static dev.ranklab.campaigns.CampaignValidation.assignees;
import static dev.ranklab.campaigns.CampaignValidation.describe;
import static dev.ranklab.campaigns.CampaignValidation.parseKind;
import static dev.ranklab.campaigns.CampaignValidation.parseQueuePolicy;
import static dev.ranklab.campaigns.CampaignValidation.parseStatus;
import static dev.ranklab.campaigns.CampaignValidation.validCap;
import static dev.ranklab.campaigns.CampaignValidation.validDemonstrationLengths;
import static dev.ranklab.campaigns.CampaignValidation.validFlags;
import static dev.ranklab.campaigns.CampaignValidation.validGoldFirst;
import static dev.ranklab.campaigns.CampaignValidation.validGoldKind;
import static dev.ranklab.campaigns.CampaignValidation.validGoldPercent;
import static dev.ranklab.campaigns.CampaignValidation.validGuidelines;
import static dev.ranklab.campaigns.CampaignValidation.validK;
import static dev.ranklab.campaigns.CampaignValidation.validLease;
import static dev.ranklab.campaigns.CampaignValidation.validName;
import static dev.ranklab.campaigns.CampaignValidation.validOverlap;
import static dev.ranklab.campaigns.CampaignValidation.validSkipReasons;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
        // The defaults of what is not sent; the entity's own initial values cover the rest.
        campaign.overlap = 1;
        campaign.guidelines = "";
        campaign.leaseMinutes = DEFAULT_LEASE_MINUTES;
        campaign.flags = Flag.INSTRUCTGPT_DEFAULTS;
        campaign.skipReasons = DEFAULT_SKIP_REASONS.toArray(String[]::new);
        applySettings(campaign, input, errors);
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
        applySettings(campaign, input, errors);
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

    /**
     * Applies the settings present in {@code input} that create and update treat alike (all but name, kind, K and
     * status), each checked, then the rules across fields; absent (null) ones stay as they are.
     */
    private static void applySettings(Campaign campaign, CampaignInput input, InvalidInputException.Collector errors) {
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

    static ProblemException notFound(long id) {
        return ProblemException.notFound("no campaign with id " + id);
    }
}
