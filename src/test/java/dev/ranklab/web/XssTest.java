package dev.ranklab.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;
import dev.ranklab.support.Tasks;

/**
 * XSS payloads through every field that reaches a page (campaign name, guidelines, flag labels, external ids,
 * prompts, responses, model names, comments, skip and rejection reasons, search terms), then every page that shows
 * them, parsed: no script but Ranklab's own files, no event-handler attribute, no javascript: link, no injected
 * element. A scan of the templates and the code makes sure the only unescaped output is the Markdown renderer's.
 * None of this needs a browser; {@link XssBrowserTest} loads the same pages in headless Chromium.
 */
@QuarkusTest
class XssTest {

    static final String PAYLOAD = "<script>alert(1)</script>\"><img src=x onerror=alert(2)></script><svg onload=alert(3)>";
    static final String MARKDOWN_PAYLOAD = PAYLOAD
            + " [click](javascript:alert(4)) <a href=\"javascript:alert(5)\">x</a>\n\nSee [click](javascript:alert(6)).";

    record Seeded(long campaign, long itemId, String annotatorName) {
    }

    static Seeded seed() throws IOException {
        ObjectMapper json = new ObjectMapper();
        long campaign = Api.newCampaign(Map.of("name", "xss " + PAYLOAD + " " + Api.unique("c"), "kind", "RANKING",
                "responsesPerItem", 2, "overlap", 2, "guidelines", MARKDOWN_PAYLOAD,
                "flags", List.of(Map.of("code", "evil", "label", PAYLOAD))));
        String line = json.writeValueAsString(Map.of("externalId", "x" + PAYLOAD, "prompt", MARKDOWN_PAYLOAD,
                "responses", List.of(Map.of("text", MARKDOWN_PAYLOAD, "model", PAYLOAD), Map.of("text", "plain"))));
        String line2 = json.writeValueAsString(Map.of("externalId", "y", "prompt", "second",
                "responses", List.of("a", "b")));
        Api.ndjson(line + "\n" + line2 + "\n").post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200)
                .body("imported", org.hamcrest.Matchers.equalTo(2));
        Api.setStatus(campaign, "ACTIVE");
        String annotator = Api.newUser("ANNOTATOR");
        String second = Api.newUser("ANNOTATOR");
        for (String who : List.of(annotator, second)) {
            int task = Tasks.next(who, campaign).then().statusCode(200).extract().path("taskId");
            Tasks.submit(who, task, Map.of("ranking", List.of(List.of("r1"), List.of("r2")), "ratings",
                    Map.of("r1", 2, "r2", 6), "flags", Map.of("r1", List.of("evil")), "comment", PAYLOAD), null)
                    .then().statusCode(201);
        }
        int skipped = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        Tasks.submit(annotator, skipped, Map.of("outcome", "UNRANKABLE", "reason", PAYLOAD), null).then()
                .statusCode(201);
        long itemId = ((Number) Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items").then().extract()
                .path("[0].id")).longValue();
        int rankingId = Api.asAdmin().get("/api/v1/review/items/" + itemId).then().extract().path("work[0].rankingId");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("reason", PAYLOAD))
                .post("/api/v1/review/rankings/" + rankingId + "/rejection").then().statusCode(204);
        String name = Api.as(annotator).get("/api/v1/users/me").then().extract().path("username");
        return new Seeded(campaign, itemId, name);
    }

    static List<String> adminPages(Seeded s) {
        String q = java.net.URLEncoder.encode(PAYLOAD, java.nio.charset.StandardCharsets.UTF_8);
        return List.of("/campaigns", "/campaigns/" + s.campaign(), "/campaigns/" + s.campaign() + "/edit",
                "/campaigns/" + s.campaign() + "/items?q=" + q, "/campaigns/" + s.campaign() + "/items",
                "/review/items/" + s.itemId(), "/campaigns/" + s.campaign() + "/review",
                "/campaigns/" + s.campaign() + "/data", "/campaigns/" + s.campaign() + "/dashboard",
                "/campaigns/" + s.campaign() + "/preview", "/admin/audit", "/admin/users", "/reward-models");
    }

    /** What an injected payload would leave in a parsed page; empty when the page is clean. */
    static List<String> injections(String page, String html) {
        Document document = Jsoup.parse(html);
        List<String> found = new ArrayList<>();
        for (Element script : document.select("script")) {
            String src = script.attr("src");
            if (!(src.startsWith("/static/") || src.startsWith("/webjars/")) || !script.data().isBlank()) {
                found.add(page + ": a script that is not Ranklab's: " + script.outerHtml());
            }
        }
        for (Element element : document.getAllElements()) {
            for (Attribute attribute : element.attributes()) {
                if (attribute.getKey().toLowerCase().startsWith("on")) {
                    found.add(page + ": event handler " + attribute.getKey() + " on <" + element.tagName() + ">");
                }
                String value = attribute.getValue().strip().toLowerCase();
                if ((attribute.getKey().equals("href") || attribute.getKey().equals("src")
                        || attribute.getKey().equals("action")) && value.startsWith("javascript:")) {
                    found.add(page + ": a javascript: URL in " + attribute.getKey());
                }
            }
        }
        if (!document.select("svg[onload], img[src=x]").isEmpty()) {
            found.add(page + ": an injected element");
        }
        return found;
    }

    @Test
    void payloadsInEveryFieldStayTextOnEveryPage() throws IOException {
        Seeded s = seed();
        String admin = Forms.login(Api.ADMIN, Api.ADMIN_PASSWORD);
        List<String> found = new ArrayList<>();
        for (String page : adminPages(s)) {
            String html = given().cookie("ranklab_session", admin).get(page).then().statusCode(200).extract()
                    .asString();
            found.addAll(injections(page, html));
        }
        // The annotator's pages: their home, and a task showing the payload prompt and responses.
        String annotator = Forms.login(s.annotatorName(), Api.PASSWORD);
        for (String page : List.of("/annotate", "/campaigns/" + s.campaign())) {
            found.addAll(injections(page, given().cookie("ranklab_session", annotator).get(page).then()
                    .statusCode(200).extract().asString()));
        }
        assertEquals(List.of(), found);
        // And the payload is there, as text: escaped, not dropped.
        String itemPage = given().cookie("ranklab_session", admin).get("/review/items/" + s.itemId()).then()
                .extract().asString();
        assertTrue(Jsoup.parse(itemPage).text().contains("<img src=x onerror=alert(2)>"));
        // A Markdown link to an unsafe URL shows its text, and no link at all (not even an empty one).
        Document item = Jsoup.parse(itemPage);
        assertTrue(item.select("a:containsOwn(click)").isEmpty(), item.select("a:containsOwn(click)").outerHtml());
        assertTrue(item.select(".prose").text().contains("click"), item.select(".prose").text());
    }

    @Test
    void theCheckSeesWhatAnInjectionWouldLeave() {
        List<String> found = injections("crafted", "<p>ok</p><script>alert(1)</script><img src=x onerror=alert(2)>"
                + "<a href=\" javascript:alert(3)\">x</a><script src=\"https://evil.example/x.js\"></script>");
        assertEquals(5, found.size(), found.toString());
    }

    @Test
    void theOnlyUnescapedOutputIsTheMarkdownRenderer() throws IOException {
        // Qute escapes every expression unless it is a RawString (or .raw/.safe): only Markdown may make one.
        Pattern raw = Pattern.compile("\\.(raw|safe)\\b|\\{\\|");
        List<String> found = new ArrayList<>();
        try (Stream<Path> templates = Files.walk(Path.of("ui-templates"))) {
            for (Path template : templates.filter(Files::isRegularFile).toList()) {
                Matcher matcher = raw.matcher(Files.readString(template));
                if (matcher.find()) {
                    found.add(template + ": " + matcher.group());
                }
            }
        }
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(source).contains("RawString") && !source.endsWith("web/Markdown.java")) {
                    found.add(source + " makes unescaped output");
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
