package dev.ranklab.export;

import java.time.OffsetDateTime;
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

/** A background export: what was asked for, how far it got, and the manifest of the finished file. */
@Entity
@Table(name = "export_jobs")
public class ExportJob extends PanacheEntityBase {

    /** Where a job stands; only COMPLETED jobs have a file to download. */
    public enum Status {

        QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

        public boolean isUnfinished() {
            return this == QUEUED || this == RUNNING;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "campaign_id")
    public long campaignId;

    @Column(name = "user_id")
    public long userId;

    public String format;

    public String file;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> options;

    @Enumerated(EnumType.STRING)
    public Status status;

    public long lines;

    public Long bytes;

    public String sha256;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> manifest;

    public String error;

    /** The liveness key of the instance running the job (see {@code InstanceLiveness}). */
    public Integer runner;

    @Column(name = "cancelled_by")
    public Long cancelledBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    /** The name its file is downloaded under. */
    public String fileName() {
        return "campaign-" + campaignId + "-" + format + "-" + id + "." + file;
    }
}
