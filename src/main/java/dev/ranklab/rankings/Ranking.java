package dev.ranklab.rankings;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One annotator's ranking of an item's K responses, with ratings, flags and a comment. */
@Entity
@Table(name = "rankings")
public class Ranking extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "task_id")
    public long taskId;

    @Column(name = "item_id")
    public long itemId;

    @Column(name = "campaign_id")
    public long campaignId;

    @Column(name = "annotator_id")
    public long annotatorId;

    /** Best tier first; the ids in one tier are tied. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<List<String>> tiers;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Integer> ratings;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, List<String>> flags;

    public String comment;

    @Column(name = "submitted_at")
    public OffsetDateTime submittedAt;

    /** 1 for the first submission; each revision adds one (the versions it replaced are in ranking_revisions). */
    public int revision;

    /** When the latest revision was made; null while the ranking is as first submitted. */
    @Column(name = "revised_at")
    public OffsetDateTime revisedAt;

    /** The Idempotency-Key of the request that made the latest revision. */
    @Column(name = "revision_key")
    public String revisionKey;

    /** When this version of the ranking was made. */
    public OffsetDateTime madeAt() {
        return revisedAt == null ? submittedAt : revisedAt;
    }

    public static Ranking findByTask(long taskId) {
        return find("taskId", taskId).firstResult();
    }
}
