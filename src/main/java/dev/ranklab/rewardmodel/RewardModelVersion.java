package dev.ranklab.rewardmodel;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

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

/** One training of the reward model: what it learned from, how it did, and whether it serves. */
@Entity
@Table(name = "reward_models")
public class RewardModelVersion extends PanacheEntityBase {

    public enum Status {
        QUEUED, RUNNING, READY, FAILED
    }

    public enum Mode {
        /** From scratch on every ranking. */
        FULL,
        /** Warm-started from the serving version, on new rankings plus a replay sample of older ones. */
        INCREMENTAL
    }

    public enum Trigger {
        ADMIN, NEW_COMPARISONS, SCHEDULE
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Integer version;

    @Enumerated(EnumType.STRING)
    public Status status;

    public boolean promoted;

    @Enumerated(EnumType.STRING)
    public Mode mode;

    @Enumerated(EnumType.STRING)
    public Trigger trigger;

    @Column(name = "parent_version")
    public Integer parentVersion;

    @Column(name = "campaign_ids")
    @JdbcTypeCode(SqlTypes.ARRAY)
    public Long[] campaignIds;

    @Column(name = "requested_by")
    public Long requestedBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    @Column(name = "promoted_at")
    public OffsetDateTime promotedAt;

    public Integer rankings;

    public Integer comparisons;

    public Long watermark;

    /** What the training measured; null until it finished. */
    @JdbcTypeCode(SqlTypes.JSON)
    public TrainingMetrics metrics;

    /** The grouped, nested cross-validation of a full training; null for incremental ones and small data. */
    @Column(name = "cross_validation")
    @JdbcTypeCode(SqlTypes.JSON)
    public CrossValidation crossValidation;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> hyperparameters = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> progress = new LinkedHashMap<>();

    @Column(name = "file_path")
    public String filePath;

    @Column(name = "file_sha256")
    public String fileSha256;

    @Column(name = "promotion_note")
    public String promotionNote;

    public String error;

    /** Why the promotion gate did not let this version serve; null when it did, or before it was judged. */
    @Column(name = "refused_reason")
    public String refusedReason;

    /** The version that serves, or null when none does yet. */
    public static RewardModelVersion serving() {
        return find("promoted = true").firstResult();
    }

    /** Held-out pairwise accuracy, when the version finished. */
    public Double heldOutAccuracy() {
        return metrics == null ? null : metrics.heldOutAccuracy();
    }
}
