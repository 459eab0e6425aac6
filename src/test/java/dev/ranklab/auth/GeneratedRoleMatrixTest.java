package dev.ranklab.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;

/**
 * The role matrix generated from the application itself: every operation of the OpenAPI document, and every page
 * found among the compiled page resources, is checked against a table of who it is meant for, and called
 * anonymously, as an annotator and as a researcher, expecting 401/303, 403 or an answer. A route added without an
 * entry in the table, declaring other roles than the table says, or answering otherwise, fails here.
 */
@QuarkusTest
class GeneratedRoleMatrixTest {

    /** Operations anyone may call. */
    private static final Set<String> PUBLIC_API = Set.of("POST /api/v1/auth/token",
            "GET /api/v1/export-files/{jobId}/{expires}/{signature}/{name}");
    /** Operations skipped for allowed roles because calling them would end the caller's own session. */
    private static final Set<String> SELF_ENDING = Set.of("DELETE /api/v1/auth/token");

    /**
     * Who each operation is meant for, written down independently of the code ("" = any signed-in user; an admin
     * holds every role). Every operation of the document must be here, so a new route cannot slip in unreviewed.
     */
    static final Map<String, String> INTENDED_API = Map.ofEntries(
            Map.entry("DELETE /api/v1/auth/token", ""),
            Map.entry("GET /api/v1/users/me", ""),
            Map.entry("POST /api/v1/markdown", ""),
            Map.entry("GET /api/v1/campaigns", "ANNOTATOR|RESEARCHER"),
            Map.entry("GET /api/v1/campaigns/{id}", "ANNOTATOR|RESEARCHER"),
            Map.entry("GET /api/v1/campaigns/{id}/tasks/next", "ANNOTATOR"),
            Map.entry("POST /api/v1/tasks/{taskId}/lease", "ANNOTATOR"),
            Map.entry("POST /api/v1/tasks/{taskId}/submission", "ANNOTATOR"),
            Map.entry("PUT /api/v1/tasks/{taskId}/submission", "ANNOTATOR"),
            Map.entry("GET /api/v1/campaigns/{id}/tasks/mine", "ANNOTATOR"),
            Map.entry("GET /api/v1/campaigns/{id}/agreement", "RESEARCHER"),
            Map.entry("GET /api/v1/campaigns/{id}/agreement/gold", "RESEARCHER"),
            Map.entry("GET /api/v1/campaigns/{id}/dashboard", "RESEARCHER"),
            Map.entry("GET /api/v1/campaigns/{id}/export", "RESEARCHER"),
            Map.entry("GET /api/v1/campaigns/{id}/exports", "RESEARCHER"),
            Map.entry("POST /api/v1/campaigns/{id}/exports", "RESEARCHER"),
            Map.entry("GET /api/v1/exports/{jobId}", "RESEARCHER"),
            Map.entry("GET /api/v1/exports/{jobId}/file", "RESEARCHER"),
            Map.entry("POST /api/v1/exports/{jobId}/cancel", "RESEARCHER"),
            Map.entry("POST /api/v1/exports/{jobId}/link", "RESEARCHER"),
            Map.entry("GET /api/v1/export-schemas/{format}", "RESEARCHER"),
            Map.entry("GET /api/v1/campaigns/{id}/items", "RESEARCHER"),
            Map.entry("GET /api/v1/campaigns/{id}/scores", "RESEARCHER"),
            Map.entry("POST /api/v1/campaigns/{id}/scores", "RESEARCHER"),
            Map.entry("GET /api/v1/reward-models", "RESEARCHER"),
            Map.entry("GET /api/v1/reward-models/{version}", "RESEARCHER"),
            Map.entry("POST /api/v1/reward-models/current/score", "RESEARCHER"),
            Map.entry("POST /api/v1/reward-models/{version}/score", "RESEARCHER"),
            Map.entry("POST /api/v1/reward-models/train", "ADMIN"),
            Map.entry("POST /api/v1/reward-models/{version}/promote", "ADMIN"),
            Map.entry("POST /api/v1/campaigns", "ADMIN"),
            Map.entry("PATCH /api/v1/campaigns/{id}", "ADMIN"),
            Map.entry("POST /api/v1/campaigns/{id}/items", "ADMIN"),
            Map.entry("GET /api/v1/campaigns/{id}/imports", "ADMIN"),
            Map.entry("PUT /api/v1/items/{itemId}/gold", "ADMIN"),
            Map.entry("DELETE /api/v1/items/{itemId}/gold", "ADMIN"),
            Map.entry("GET /api/v1/campaigns/{id}/review", "ADMIN"),
            Map.entry("GET /api/v1/review/items/{itemId}", "ADMIN"),
            Map.entry("POST /api/v1/review/items/{itemId}/reviewed", "ADMIN"),
            Map.entry("POST /api/v1/review/rankings/{rankingId}/rejection", "ADMIN"),
            Map.entry("DELETE /api/v1/review/rankings/{rankingId}/rejection", "ADMIN"),
            Map.entry("GET /api/v1/users", "ADMIN"),
            Map.entry("POST /api/v1/users", "ADMIN"),
            Map.entry("PATCH /api/v1/users/{id}", "ADMIN"),
            Map.entry("GET /api/v1/users/{id}/tokens", "ADMIN"),
            Map.entry("DELETE /api/v1/users/{id}/tokens/{tokenId}", "ADMIN"),
            Map.entry("GET /api/v1/audit", "ADMIN"),
            Map.entry("GET /api/v1/audit/export", "ADMIN"),
            Map.entry("GET /api/v1/webhooks", "ADMIN"),
            Map.entry("POST /api/v1/webhooks", "ADMIN"),
            Map.entry("DELETE /api/v1/webhooks/{id}", "ADMIN"),
            Map.entry("GET /api/v1/webhooks/{id}/deliveries", "ADMIN"),
            Map.entry("POST /api/v1/webhooks/{id}/test", "ADMIN"),
            Map.entry("POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/retry", "ADMIN"),
            Map.entry("GET /api/v1/campaigns/{id}/models", "RESEARCHER"),
            Map.entry("GET /api/v1/model-endpoints", "ADMIN"),
            Map.entry("POST /api/v1/model-endpoints", "ADMIN"),
            Map.entry("GET /api/v1/model-endpoints/{id}", "ADMIN"),
            Map.entry("PATCH /api/v1/model-endpoints/{id}", "ADMIN"),
            Map.entry("DELETE /api/v1/model-endpoints/{id}", "ADMIN"),
            Map.entry("POST /api/v1/model-endpoints/{id}/test", "ADMIN"),
            Map.entry("GET /api/v1/campaigns/{id}/generations", "ADMIN"),
            Map.entry("POST /api/v1/campaigns/{id}/generations", "ADMIN"),
            Map.entry("GET /api/v1/generations/{jobId}", "ADMIN"),
            Map.entry("POST /api/v1/generations/{jobId}/cancel", "ADMIN"),
            Map.entry("POST /api/v1/reward-models/current/best-of-n", "RESEARCHER"),
            Map.entry("POST /api/v1/campaigns/{id}/rejection-sampling", "RESEARCHER"),
            Map.entry("POST /api/v1/campaigns/{id}/rejection-sampling/upload", "RESEARCHER"));

    /** Who each page is meant for ("" = anyone, signed in or not). */
    static final Map<String, String> INTENDED_PAGES = Map.ofEntries(
            Map.entry("/login", ""),
            Map.entry("/annotate", "ANNOTATOR"),
            Map.entry("/annotate/{campaignId}", "ANNOTATOR"),
            Map.entry("/annotate/{campaignId}/done", "ANNOTATOR"),
            Map.entry("/annotate/{campaignId}/previous", "ANNOTATOR"),
            Map.entry("/annotate/tasks/{taskId}", "ANNOTATOR"),
            Map.entry("/annotate/tasks/{taskId}/revise", "ANNOTATOR"),
            Map.entry("/campaigns", "ANNOTATOR|RESEARCHER"),
            Map.entry("/campaigns/{id}", "ANNOTATOR|RESEARCHER"),
            Map.entry("/campaigns/{id}/dashboard", "RESEARCHER"),
            Map.entry("/campaigns/{id}/data", "RESEARCHER"),
            Map.entry("/reward-models", "RESEARCHER"),
            Map.entry("/campaigns/new", "ADMIN"),
            Map.entry("/campaigns/{id}/edit", "ADMIN"),
            Map.entry("/campaigns/{id}/imports/{importId}", "ADMIN"),
            Map.entry("/campaigns/{id}/items", "ADMIN"),
            Map.entry("/campaigns/{id}/preview", "ADMIN"),
            Map.entry("/campaigns/{id}/review", "ADMIN"),
            Map.entry("/review/items/{itemId}", "ADMIN"),
            Map.entry("/admin/audit", "ADMIN"),
            Map.entry("/admin/users", "ADMIN"),
            Map.entry("/admin/users/{id}", "ADMIN"),
            Map.entry("/admin/webhooks", "ADMIN"),
            Map.entry("/campaigns/{id}/models", "RESEARCHER"),
            Map.entry("/campaigns/{id}/models/rejection-sampling", "RESEARCHER"),
            Map.entry("/admin/model-endpoints", "ADMIN"),
            Map.entry("/admin/model-endpoints/{id}/edit", "ADMIN"),
            Map.entry("/campaigns/{id}/generations", "ADMIN"));

    static String annotator;
    static String researcher;
    static String annotatorSession;
    static String researcherSession;
    static long campaign;

    @BeforeEach
    void users() {
        if (annotator != null) {
            return;
        }
        annotator = Api.newUser("ANNOTATOR");
        researcher = Api.newUser("RESEARCHER");
        annotatorSession = Forms.login(usernameOf(annotator), Api.PASSWORD);
        researcherSession = Forms.login(usernameOf(researcher), Api.PASSWORD);
        campaign = Api.newRankingCampaign(2);
        Api.setStatus(campaign, "ACTIVE");
    }

    private static String usernameOf(String token) {
        return Api.as(token).get("/api/v1/users/me").then().extract().path("username");
    }

    /** A path with its parameters filled: the test campaign for {id}, and ids that exist nowhere for the rest. */
    private static String concrete(String path) {
        return path.replace("{id}", Long.toString(campaign)).replaceAll("\\{[^}]+}", "987654321");
    }

    @Test
    void everyApiOperationAnswersEachRoleAsItDeclares() throws IOException {
        JsonNode openApi = new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
        List<String> wrong = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                String name = method + " " + path.getKey();
                operations++;
                Set<String> roles = new TreeSet<>();
                boolean secured = false;
                for (JsonNode requirement : op.getValue().path("security")) {
                    for (JsonNode scopes : requirement) {
                        secured = true;
                        scopes.forEach(scope -> roles.add(scope.asText()));
                    }
                }
                if (!secured) {
                    if (!PUBLIC_API.contains(name)) {
                        wrong.add(name + " declares no role at all");
                    }
                    continue;
                }
                String intended = INTENDED_API.get(name);
                if (intended == null) {
                    wrong.add(name + " is not in the intended role table; add it with the role it should need");
                    continue;
                }
                seen.add(name);
                if (!intended.equals(String.join("|", roles))) {
                    wrong.add(name + " declares " + roles + " but should need " + intended);
                }
                String url = concrete(path.getKey());
                String contentType = firstContentType(op.getValue());
                expect(wrong, name + " anonymous", request(given(), contentType).request(method, url), 401, true);
                // An empty role list means any authenticated user.
                check(wrong, name, "annotator", Api.as(annotator), contentType, method, url,
                        roles.isEmpty() || roles.contains("ANNOTATOR"));
                check(wrong, name, "researcher", Api.as(researcher), contentType, method, url,
                        roles.isEmpty() || roles.contains("RESEARCHER"));
            }
        }
        assertTrue(operations > 40, "the OpenAPI document lists only " + operations + " operations");
        Set<String> stale = new TreeSet<>(INTENDED_API.keySet());
        stale.removeAll(seen);
        stale.forEach(name -> wrong.add(name + " is in the role table but not in the OpenAPI document"));
        assertEquals(List.of(), wrong);
    }

    private static void check(List<String> wrong, String name, String who, RequestSpecification request,
            String contentType, String method, String url, boolean allowed) {
        if (allowed && SELF_ENDING.contains(name)) {
            return;
        }
        Response response = request(request, contentType).request(method, url);
        if (allowed) {
            int status = response.statusCode();
            if (status == 401 || status == 403 || status >= 500) {
                wrong.add(name + " as " + who + ": " + status + " though the role is allowed");
            }
        } else {
            expect(wrong, name + " as " + who, response, 403, true);
        }
    }

    private static RequestSpecification request(RequestSpecification request, String contentType) {
        return contentType == null
                ? request
                : request.contentType(contentType).body("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String firstContentType(JsonNode operation) {
        Iterator<String> types = operation.path("requestBody").path("content").fieldNames();
        return types.hasNext() ? types.next() : null;
    }

    private static void expect(List<String> wrong, String what, Response response, int status, boolean problem) {
        if (response.statusCode() != status) {
            wrong.add(what + ": " + response.statusCode() + " not " + status);
        } else if (problem && !String.valueOf(response.contentType()).startsWith("application/problem+json")) {
            wrong.add(what + ": " + status + " as " + response.contentType() + ", not a problem document");
        }
    }

    /** Every GET page method, from the compiled resource classes whose names end in Pages. */
    record Page(String path, Set<String> roles, boolean open) {
    }

    static List<Page> pages() {
        List<Page> pages = new ArrayList<>();
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes.resolve("dev/ranklab"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[A-Za-z]+Pages\\.class"))
                    .toList()) {
                String className = classes.relativize(file).toString().replace('/', '.').replace(".class", "");
                Class<?> type = Class.forName(className);
                jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
                for (Method method : type.getDeclaredMethods()) {
                    if (!method.isAnnotationPresent(GET.class)) {
                        continue;
                    }
                    jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                    String path = (base.value() + (sub == null ? "" : "/" + sub.value())).replaceAll("//+", "/");
                    RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class)
                            ? method.getAnnotation(RolesAllowed.class)
                            : type.getAnnotation(RolesAllowed.class);
                    boolean open = method.isAnnotationPresent(PermitAll.class)
                            || type.isAnnotationPresent(PermitAll.class) && roles == null;
                    boolean anyUser = method.isAnnotationPresent(Authenticated.class)
                            || type.isAnnotationPresent(Authenticated.class);
                    pages.add(new Page(path.length() > 1 ? path.replaceAll("/$", "") : path,
                            roles == null ? Set.of() : new TreeSet<>(Arrays.asList(roles.value())),
                            open || (roles == null && !anyUser)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return pages;
    }

    @Test
    void everyPageAnswersEachRoleAsItDeclares() {
        List<Page> pages = pages();
        assertTrue(pages.size() > 15, "found only " + pages.size() + " pages");
        List<String> wrong = new ArrayList<>();
        for (Page page : pages) {
            String url = concrete(page.path());
            String intended = INTENDED_PAGES.get(page.path());
            if (intended == null) {
                wrong.add("GET " + page.path() + " is not in the intended role table");
                continue;
            }
            if (!intended.equals(page.open() ? "" : String.join("|", page.roles()))) {
                wrong.add("GET " + page.path() + " declares " + page.roles() + " but should need " + intended);
            }
            if (page.open()) {
                continue;
            }
            Response anonymous = given().redirects().follow(false).get(url);
            if (anonymous.statusCode() != 303 || !anonymous.header("Location").contains("/login")) {
                wrong.add("GET " + page.path() + " anonymous: " + anonymous.statusCode() + " not a redirect to login");
            }
            pageCheck(wrong, page, "annotator", annotatorSession, url, page.roles().contains("ANNOTATOR"));
            pageCheck(wrong, page, "researcher", researcherSession, url, page.roles().contains("RESEARCHER"));
        }
        assertEquals(List.of(), wrong);
    }

    private static void pageCheck(List<String> wrong, Page page, String who, String session, String url,
            boolean allowed) {
        int status = given().cookie("ranklab_session", session).redirects().follow(false).get(url).statusCode();
        if (allowed ? status == 401 || status == 403 || status >= 500 : status != 403) {
            wrong.add("GET " + page.path() + " as " + who + ": " + status + (allowed ? " though allowed" : " not 403"));
        }
    }
}
