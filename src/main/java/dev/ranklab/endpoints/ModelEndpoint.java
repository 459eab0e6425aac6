package dev.ranklab.endpoints;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An OpenAI-compatible chat/completions server and the limits Ranklab keeps when calling it. */
@Entity
@Table(name = "model_endpoints")
public class ModelEndpoint extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    @Column(name = "base_url")
    public String baseUrl;

    public String model;

    /** {@link KeyCipher}'s encryption of the API key; null when the server needs none. */
    @Column(name = "api_key_encrypted")
    public String apiKeyEncrypted;

    @Column(name = "max_concurrency")
    public int maxConcurrency;

    @Column(name = "requests_per_minute")
    public Integer requestsPerMinute;

    @Column(name = "timeout_seconds")
    public int timeoutSeconds;

    public Double temperature;

    @Column(name = "top_p")
    public Double topP;

    @Column(name = "max_tokens")
    public Integer maxTokens;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    static ModelEndpoint byName(String name) {
        return find("name", name).firstResult();
    }
}
