package dev.ranklab.demonstrations;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An ideal answer an annotator wrote for a prompt. */
@Entity
@Table(name = "demonstrations")
public class Demonstration extends PanacheEntityBase {

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

    public String text;

    @Column(name = "submitted_at")
    public OffsetDateTime submittedAt;

    /** 1 for the first submission; each revision adds one (the versions it replaced are in demonstration_revisions). */
    public int revision;

    /** When the latest revision was made; null while the demonstration is as first submitted. */
    @Column(name = "revised_at")
    public OffsetDateTime revisedAt;

    /** The Idempotency-Key of the request that made the latest revision. */
    @Column(name = "revision_key")
    public String revisionKey;

    /** When this version of the demonstration was made. */
    public OffsetDateTime madeAt() {
        return revisedAt == null ? submittedAt : revisedAt;
    }

    public static Demonstration findByTask(long taskId) {
        return find("taskId", taskId).firstResult();
    }
}
