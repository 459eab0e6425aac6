package dev.ranklab.items;

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
import io.quarkus.panache.common.Parameters;

/** A prompt (a conversation) with, for rankings, the K responses to compare. Written by the importer. */
@Entity
@Table(name = "items")
public class Item extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "campaign_id")
    public long campaignId;

    @Column(name = "external_id")
    public String externalId;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<ChatMessage> prompt;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<ItemResponse> responses;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;

    /** A gold item's reference ranking, tiers of response ids best first; null for ordinary items. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "gold_ranking")
    public List<List<String>> goldRanking;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    static long countInCampaign(long campaignId) {
        return count("campaignId", campaignId);
    }

    /** A page of a campaign's items in import order, after the given id (keyset paging stays fast deep in). */
    static List<Item> pageInCampaign(long campaignId, long afterId, int limit) {
        return find("campaignId = :campaign and id > :after order by id",
                Parameters.with("campaign", campaignId).and("after", afterId)).page(0, limit).list();
    }
}
