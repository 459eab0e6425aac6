package dev.ranklab.tasks;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One annotator's lease on one item, and its outcome. Rows are created by {@link QueueService} in SQL. */
@Entity
@Table(name = "tasks")
public class Task extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "item_id")
    public long itemId;

    @Column(name = "campaign_id")
    public long campaignId;

    @Column(name = "annotator_id")
    public long annotatorId;

    @Enumerated(EnumType.STRING)
    public TaskStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "display_order")
    public List<String> displayOrder;

    @Column(name = "leased_at")
    public OffsetDateTime leasedAt;

    @Column(name = "lease_expires_at")
    public OffsetDateTime leaseExpiresAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    public String reason;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "lease_seconds")
    public Integer leaseSeconds;

    @Column(name = "active_seconds")
    public Integer activeSeconds;

    public boolean isLive() {
        return status == TaskStatus.LEASED && leaseExpiresAt.isAfter(OffsetDateTime.now());
    }
}
