package dev.ranklab.items;

import java.time.OffsetDateTime;
import java.util.List;

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

/** The record of one import: who, when, what came of each line. */
@Entity
@Table(name = "item_imports")
public class ItemImport extends PanacheEntityBase {

    /** How the file arrived. */
    public enum Source {
        API, UPLOAD
    }

    /** Whether the import ran to the end; a failed one stored nothing. */
    public enum Status {
        COMPLETED, FAILED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "campaign_id")
    public long campaignId;

    @Column(name = "user_id")
    public Long userId;

    @Enumerated(EnumType.STRING)
    public Source source;

    @Column(name = "file_name")
    public String fileName;

    @Enumerated(EnumType.STRING)
    public Status status;

    public int lines;
    public int imported;
    public int duplicates;

    @Column(name = "rejected_count")
    public int rejectedCount;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<ImportReport.Rejection> rejected;

    public String failure;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    static List<ItemImport> recentInCampaign(long campaignId, int limit) {
        return find("campaignId", Sort.descending("id"), campaignId).page(0, limit).list();
    }
}
