package dev.ranklab.campaigns;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** A labeling campaign: its kind, K, overlap, guidelines, lease time and flags. */
@Entity
@Table(name = "campaigns")
public class Campaign extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    @Enumerated(EnumType.STRING)
    public CampaignKind kind;

    @Enumerated(EnumType.STRING)
    public CampaignStatus status;

    @Column(name = "responses_per_item")
    public Integer responsesPerItem;

    public int overlap;

    public String guidelines;

    @Column(name = "lease_minutes")
    public int leaseMinutes;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Flag> flags;

    /** Whether skipped and "cannot rank" tasks use up one of the item's overlap slots. */
    @Column(name = "skips_count_toward_overlap")
    public boolean skipsCountTowardOverlap;

    @Enumerated(EnumType.STRING)
    @Column(name = "queue_policy")
    public QueuePolicy queuePolicy = QueuePolicy.MOST_ANNOTATED_FIRST;

    /** The most tasks one annotator may finish in this campaign; null: no cap. */
    @Column(name = "max_tasks_per_annotator")
    public Integer maxTasksPerAnnotator;

    /** The annotators (user ids) who may work on this campaign, besides the assigned groups' members. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "assigned_annotators")
    public Long[] assignedAnnotators = new Long[0];

    /** The groups whose members may work on this campaign; with no annotators either, everyone may. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "assigned_groups")
    public String[] assignedGroups = new String[0];

    /**
     * Whether this annotator may work on the campaign. Their groups are asked for only when the campaign is
     * assigned to groups, so that the common case, a campaign open to all, costs no query on every lease.
     */
    public boolean isOpenTo(long userId, Supplier<String[]> groups) {
        if (assignedAnnotators.length == 0 && assignedGroups.length == 0) {
            return true;
        }
        if (Arrays.asList(assignedAnnotators).contains(userId)) {
            return true;
        }
        if (assignedGroups.length == 0) {
            return false;
        }
        List<String> assigned = Arrays.asList(assignedGroups);
        return Arrays.stream(groups.get()).anyMatch(assigned::contains);
    }

    /** Each annotator's first this many tasks are gold items (while gold items they have not had remain). */
    @Column(name = "gold_first_tasks")
    public int goldFirstTasks;

    /** After the first gold tasks, this share (0–100) of an annotator's tasks are gold items. */
    @Column(name = "gold_percent")
    public int goldPercent;

    /** Annotators see the reward model's scores only when an admin turns this on (anchoring). */
    @Column(name = "show_scores_to_annotators")
    public boolean showScoresToAnnotators;

    /**
     * Whether a ranking must rate every response 1–7 (the InstructGPT template). Off, ratings are optional and a
     * pairwise task (K = 2) is answered with one key.
     */
    @Column(name = "ratings_required")
    public boolean ratingsRequired = true;

    /** The reasons an annotator can pick when skipping a task; free text is always possible too. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "skip_reasons")
    public String[] skipReasons = new String[0];

    /** Whether a plain skip needs a reason ("cannot rank" always does: it reports a broken item). */
    @Column(name = "skip_reason_required")
    public boolean skipReasonRequired;

    @Column(name = "demonstration_min_chars")
    public int demonstrationMinChars = 1;

    @Column(name = "demonstration_max_chars")
    public int demonstrationMaxChars = 20_000;

    @Column(name = "created_by")
    public Long createdBy;

    @Column(name = "created_at", updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    /** Whether a task is answered with one key: a pairwise ranking (K = 2) whose ratings are optional. */
    public boolean oneKeyPairwise() {
        return kind == CampaignKind.RANKING && Integer.valueOf(2).equals(responsesPerItem) && !ratingsRequired;
    }

    /** The set of flag codes annotators may use. */
    public Set<String> flagCodes() {
        return flags.stream().map(Flag::code).collect(Collectors.toSet());
    }

    public static Optional<Campaign> findByName(String name) {
        return find("lower(name) = lower(?1)", name).firstResultOptional();
    }

    public static List<Campaign> listNewestFirst() {
        return listAll(Sort.descending("id"));
    }

    public static List<Campaign> listWithStatus(CampaignStatus status) {
        return list("status", Sort.descending("id"), status);
    }
}
