package dev.ranklab.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;

@QuarkusTest
class AuthApiTest {

    @Inject
    AuthTokenService tokens;

    @Test
    void issuesABearerTokenThatAuthenticates() {
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("username", Api.ADMIN, "password", Api.ADMIN_PASSWORD))
                .post("/api/v1/auth/token")
                .then().statusCode(200)
                .body("token", startsWith("rk_api_"))
                .body("expiresAt", notNullValue())
                .extract().path("token");
        Api.as(token).get("/api/v1/users/me").then().statusCode(200).body("username", equalTo("admin"))
                .body("role", equalTo("ADMIN"));
    }

    @Test
    void tokensAreStoredOnlyAsTheirHash() {
        String token = Api.newUser("ANNOTATOR");
        String hash = AuthTokenService.hash(token);
        assertEquals(1, countTokensWithHash(hash));
        assertEquals(0, countTokensWithHash(token));
        assertNotEquals(token, hash);
    }

    @Transactional
    long countTokensWithHash(String hash) {
        return AuthToken.count("tokenHash", hash);
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSame401() {
        String username = Api.unique("someone");
        given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", "not-the-password"))
                .post("/api/v1/auth/token")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("wrong username or password"));
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", "whatever-password"))
                .post("/api/v1/auth/token")
                .then().statusCode(401).body("detail", equalTo("wrong username or password"));
    }

    @Test
    void missingFieldsAreNamed() {
        given().contentType(ContentType.JSON).body(Map.of("password", "x"))
                .post("/api/v1/auth/token").then().statusCode(400).body("detail", containsString("username"));
        given().contentType(ContentType.JSON).body(Map.of("username", "x"))
                .post("/api/v1/auth/token").then().statusCode(400).body("detail", containsString("password"));
    }

    @Test
    void repeatedFailuresAreThrottledEvenForTheRightPassword() {
        String username = Api.unique("victim");
        Api.asAdmin().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", Api.PASSWORD, "role", "ANNOTATOR"))
                .post("/api/v1/users").then().statusCode(201);
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", username, "password", "guess-" + i))
                    .post("/api/v1/auth/token").then().statusCode(401);
        }
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", Api.PASSWORD))
                .post("/api/v1/auth/token")
                .then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"))
                .body("detail", containsString("too many failed logins"));
    }

    @Test
    void revokedTokenNoLongerWorks() {
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("username", Api.ADMIN, "password", Api.ADMIN_PASSWORD))
                .post("/api/v1/auth/token").then().statusCode(200).extract().path("token");
        Api.as(token).get("/api/v1/users/me").then().statusCode(200);
        Api.as(token).delete("/api/v1/auth/token").then().statusCode(204);
        Api.as(token).get("/api/v1/users/me").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void expiredTokenIsRejected() {
        String token = Api.newUser("RESEARCHER");
        assertTrue(tokens.resolve(token).isPresent());
        expire(AuthTokenService.hash(token));
        assertTrue(tokens.resolve(token).isEmpty());
        // A token that expired before it was ever used is refused at the door too.
        String expired = Api.newUser("RESEARCHER");
        expire(AuthTokenService.hash(expired));
        Api.as(expired).get("/api/v1/campaigns").then().statusCode(401);
    }

    @Transactional
    void expire(String hash) {
        AuthToken.update("expiresAt = ?1 where tokenHash = ?2", OffsetDateTime.now().minusSeconds(1), hash);
    }

    @Test
    void garbageTokensAre401NotErrors() {
        for (String bad : new String[]{"nonsense", "rk_api_", "x".repeat(5000), "\u00e9\u00e8"}) {
            Api.as(bad).get("/api/v1/campaigns").then().statusCode(401);
        }
    }

    @Test
    void tokenLooksRandomAndLong() {
        String a = tokens.issue(dev.ranklab.users.User.findByUsername("admin").orElseThrow(), AuthToken.Kind.API,
                java.time.Duration.ofMinutes(1)).token();
        assertTrue(a.length() > 40, a);
    }
}
