package dev.ranklab.auth;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One failed login; recent ones throttle further attempts. Kept in the database so all replicas agree. */
@Entity
@Table(name = "login_failures")
public class LoginFailure extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String username;

    @Column(name = "remote_address")
    public String remoteAddress;

    @Column(name = "failed_at")
    public OffsetDateTime failedAt;

    static long countSince(String username, String remoteAddress, OffsetDateTime since) {
        return count("lower(username) = lower(?1) and remoteAddress = ?2 and failedAt > ?3", username, remoteAddress,
                since);
    }

    static long countFromAddressSince(String remoteAddress, OffsetDateTime since) {
        return count("remoteAddress = ?1 and failedAt > ?2", remoteAddress, since);
    }
}
