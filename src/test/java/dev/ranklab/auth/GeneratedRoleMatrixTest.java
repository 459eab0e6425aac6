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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
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

    /** Who each page form is meant for ("" = anyone, signed in or not). */
    static final Map<String, String> INTENDED_FORMS = Map.ofEntries(
            Map.entry("/login", ""),
            Map.entry("/logout", ""),
            Map.entry("/campaigns", "ADMIN"),
            Map.entry("/campaigns/{id}", "ADMIN"),
            Map.entry("/campaigns/{id}/status", "ADMIN"),
            Map.entry("/campaigns/{id}/import", "ADMIN"),
            Map.entry("/campaigns/{id}/data/jobs", "RESEARCHER"),
            Map.entry("/campaigns/{id}/data/jobs/{jobId}/cancel", "RESEARCHER"),
            Map.entry("/campaigns/{id}/scores", "RESEARCHER"),
            Map.entry("/campaigns/{id}/models/rejection-sampling", "RESEARCHER"),
            Map.entry("/campaigns/{id}/generations", "ADMIN"),
            Map.entry("/campaigns/{id}/generations/{jobId}/cancel", "ADMIN"),
            Map.entry("/review/items/{itemId}/reviewed", "ADMIN"),
            Map.entry("/review/items/{itemId}/rankings/{rankingId}/reject", "ADMIN"),
            Map.entry("/review/items/{itemId}/rankings/{rankingId}/restore", "ADMIN"),
            Map.entry("/review/items/{itemId}/gold", "ADMIN"),
            Map.entry("/review/items/{itemId}/gold/clear", "ADMIN"),
            Map.entry("/reward-models/train", "ADMIN"),
            Map.entry("/reward-models/{version}/promote", "ADMIN"),
            Map.entry("/admin/users", "ADMIN"),
            Map.entry("/admin/users/{id}/role", "ADMIN"),
            Map.entry("/admin/users/{id}/groups", "ADMIN"),
            Map.entry("/admin/users/{id}/active", "ADMIN"),
            Map.entry("/admin/users/{id}/password", "ADMIN"),
            Map.entry("/admin/users/{id}/tokens/{tokenId}/revoke", "ADMIN"),
            Map.entry("/admin/webhooks", "ADMIN"),
            Map.entry("/admin/webhooks/{id}/test", "ADMIN"),
            Map.entry("/admin/webhooks/{id}/deliveries/{deliveryId}/retry", "ADMIN"),
            Map.entry("/admin/webhooks/{id}/delete", "ADMIN"),
            Map.entry("/admin/model-endpoints", "ADMIN"),
            Map.entry("/admin/model-endpoints/{id}/edit", "ADMIN"),
            Map.entry("/admin/model-endpoints/{id}/test", "ADMIN"),
            Map.entry("/admin/model-endpoints/{id}/delete", "ADMIN"));

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

    /**
     * A page route: its path, the roles it declares, whether it declares {@code @PermitAll}, and whether it declares
     * no security annotation at all (which the configuration denies to everyone); a form may be multipart.
     */
    record Page(String path, Set<String> roles, boolean open, boolean unannotated, boolean multipart) {
    }

    /** Every GET page method, from the compiled resource classes whose names end in Pages. */
    static List<Page> pages() {
        return routes(GET.class);
    }

    /** Every form POST method of the same classes. */
    static List<Page> forms() {
        return routes(POST.class);
    }

    private static List<Page> routes(Class<? extends java.lang.annotation.Annotation> verb) {
        List<Page> pages = new ArrayList<>();
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes.resolve("dev/ranklab"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[A-Za-z]+Pages\\.class"))
                    .toList()) {
                String className = classes.relativize(file).toString().replace('/', '.').replace(".class", "");
                Class<?> type = Class.forName(className);
                jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
                for (Method method : type.getDeclaredMethods()) {
                    if (!method.isAnnotationPresent(verb)) {
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
                            roles == null ? Set.of() : new TreeSet<>(Arrays.asList(roles.value())), open,
                            !open && roles == null && !anyUser, method.isAnnotationPresent(Consumes.class)
                                    && Arrays.asList(method.getAnnotation(Consumes.class).value())
                                            .contains(MediaType.MULTIPART_FORM_DATA)));
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
        assertEquals(List.of(), check("GET", pages, INTENDED_PAGES, (session, page) -> {
            RequestSpecification request = given().redirects().follow(false);
            return (session == null ? request : request.cookie(Forms.SESSION_COOKIE, session))
                    .get(concrete(page.path()));
        }));
    }

    @Test
    void everyPageFormAnswersEachRoleAsItDeclares() {
        List<Page> forms = forms();
        assertTrue(forms.size() > 25, "found only " + forms.size() + " form routes");
        // An empty form with a valid CSRF token, so that only the role decides.
        assertEquals(List.of(), check("POST", forms, INTENDED_FORMS, (session, form) -> {
            Forms.Csrf csrf = Forms.csrf();
            RequestSpecification request = given().redirects().follow(false).cookie(Forms.CSRF_COOKIE,
                    csrf.cookie());
            request = form.multipart()
                    ? request.multiPart(Forms.CSRF_FIELD, csrf.field())
                    : request.contentType(ContentType.URLENC).formParam(Forms.CSRF_FIELD, csrf.field());
            return (session == null ? request : request.cookie(Forms.SESSION_COOKIE, session))
                    .post(concrete(form.path()));
        }));
    }

    /**
     * Checks each route against the table of who it is meant for, then calls it ({@code call} gets a null session
     * for an anonymous visitor): anonymous visitors are sent to log in, a role not allowed gets 403, an allowed one an
     * answer. Open routes (login, logout) are driven by the login tests. Returns what is wrong.
     */
    private static List<String> check(String verb, List<Page> routes, Map<String, String> intendedRoles,
            java.util.function.BiFunction<String, Page, Response> call) {
        List<String> wrong = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Page route : routes) {
            String name = verb + " " + route.path();
            String intended = intendedRoles.get(route.path());
            seen.add(route.path());
            if (intended == null) {
                wrong.add(name + " is not in the intended role table");
                continue;
            }
            if (route.unannotated()) {
                wrong.add(name + " declares no security annotation, so it is denied to everyone");
            } else if (!intended.equals(route.open() ? "" : String.join("|", route.roles()))) {
                wrong.add(name + " declares " + route.roles() + " but should need " + intended);
            }
            if (route.open()) {
                continue;
            }
            Response anonymous = call.apply(null, route);
            if (anonymous.statusCode() != 303 || !anonymous.header("Location").contains("/login")) {
                wrong.add(name + " anonymous: " + anonymous.statusCode() + " not a redirect to login");
            }
            for (String role : List.of("ANNOTATOR", "RESEARCHER")) {
                boolean allowed = route.roles().contains(role);
                int status = call.apply(role.equals("ANNOTATOR") ? annotatorSession : researcherSession, route)
                        .statusCode();
                if (allowed ? status == 401 || status == 403 || status >= 500 : status != 403) {
                    wrong.add(name + " as " + role + ": " + status + (allowed ? " though allowed" : " not 403"));
                }
            }
        }
        Set<String> stale = new TreeSet<>(intendedRoles.keySet());
        stale.removeAll(seen);
        stale.forEach(path -> wrong.add(verb + " " + path + " is in the role table but no page resource has it"));
        return wrong;
    }

    @Test
    void anEndpointWithoutASecurityAnnotationIsDeniedToEveryone() {
        // Anonymous visitors outside the API are sent to the login page, as for any page they may not see.
        given().redirects().follow(false).get(UnannotatedProbe.PATH).then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.containsString("/login"));
        Api.as(researcher).get(UnannotatedProbe.PATH).then().statusCode(403);
        Api.asAdmin().get(UnannotatedProbe.PATH).then().statusCode(403);
    }
}
