package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;
import dev.ranklab.support.Forms;
import dev.ranklab.support.Tasks;

/**
 * The form token holds for a page's whole life, on every kind of page: each page is loaded, its scripts run, it
 * fetches its data and downloads its files, and only then is each of its forms sent (the log-out form included).
 * None may come back as the CSRF refusal or as anything but a Ranklab page.
 */
@QuarkusTest
class CsrfBrowserTest extends BrowserTest {

    /** What the page's scripts and links request besides: its data, its downloads, and the API at large. */
    private static final String FETCH_EVERYTHING = """
            const done = arguments[arguments.length - 1];
            const urls = ['/api/v1/campaigns'];
            document.querySelectorAll('a[download]').forEach(a => urls.push(a.href));
            document.querySelectorAll('[data-dashboard]').forEach(e => urls.push(e.dataset.dashboard));
            Promise.all(urls.map(u => fetch(u, {credentials: 'same-origin'}).then(r => r.blob())))
              .then(() => done(urls.length), e => done('failed: ' + e));
            """;

    /**
     * Sends every post form of the page from the page itself, as the browser would send it (its fields, the form
     * token among them, with the page's cookies), the log-out form last, and says how each came back: a redirect or
     * a Ranklab page is fine; the CSRF refusal or any other page is not. Training runs for a while in the
     * background: its form is checked without being sent.
     */
    private static final String SEND_EVERY_FORM = """
            const [title, done] = [arguments[0], arguments[arguments.length - 1]];
            const forms = [...document.querySelectorAll('form[method=post]')]
              .filter(f => !f.getAttribute('action').endsWith('/reward-models/train'));
            const last = f => f.getAttribute('action') === '/logout' ? 1 : 0;
            forms.sort((a, b) => last(a) - last(b));
            (async () => {
              const outcomes = [];
              for (const form of forms) {
                const action = form.getAttribute('action');
                const body = form.enctype === 'multipart/form-data'
                  ? new FormData(form) : new URLSearchParams(new FormData(form));
                const answer = await fetch(action, {method: 'POST', body, credentials: 'same-origin',
                                                    redirect: 'manual'});
                let problem = null;
                if (answer.type !== 'opaqueredirect') {
                  const html = (answer.headers.get('Content-Type') || '').startsWith('text/html');
                  const text = html ? await answer.text() : '<header class="topbar">';
                  if (text.includes(title)) {
                    problem = 'refused as a forgery';
                  } else if (!text.includes('<header class="topbar">')) {
                    problem = 'not a Ranklab page (' + answer.status + '): ' + text.slice(0, 200);
                  }
                }
                outcomes.push({action, problem});
              }
              return outcomes;
            })().then(done, e => done([{action: '?', problem: 'failed: ' + e}]));
            """;

    @Test
    void everyFormOfEveryPageKindStillWorksAfterThePageFetchedItsData() {
        long campaign = Tasks.oneAgreedOneDisputedItem();
        long importId = ((Number) Api.ndjson(Api.rankingLine(Api.unique("extra"), 3) + "\n")
                .post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200).extract().path("importId"))
                .longValue();

        Map<String, Supplier<String>> pages = new LinkedHashMap<>();
        pages.put("campaign list", () -> "/campaigns");
        pages.put("new campaign", () -> "/campaigns/new");
        pages.put("campaign", () -> "/campaigns/" + Tasks.activeRankingCampaign(2, 1, 1));
        pages.put("campaign settings", () -> "/campaigns/" + campaign + "/edit");
        pages.put("import report", () -> "/campaigns/" + campaign + "/imports/" + importId);
        pages.put("dashboard", () -> "/campaigns/" + campaign + "/dashboard");
        pages.put("data and exports", () -> "/campaigns/" + campaign + "/data?format=jsonl");
        pages.put("items", () -> "/campaigns/" + campaign + "/items");
        pages.put("review queue", () -> "/campaigns/" + campaign + "/review");
        pages.put("preview", () -> "/campaigns/" + campaign + "/preview");
        pages.put("reward model", () -> "/reward-models");
        pages.put("users", () -> "/admin/users");
        pages.put("user", this::freshUserPage);
        pages.put("audit log", () -> "/admin/audit");
        pages.put("webhooks", () -> "/admin/webhooks");
        pages.put("annotate", () -> "/annotate");

        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        pages.put("review item", () -> firstReviewItem(campaign));

        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (var page : pages.entrySet()) {
            go(page.getValue().get());
            // A template section that did not render shows its syntax to the reader.
            java.util.regex.Matcher raw = java.util.regex.Pattern.compile("\\{['#/!][^}]{0,40}\\}?")
                    .matcher(driver.findElement(By.tagName("body")).getText());
            boolean shown = raw.find();
            assertFalse(shown, () -> page.getKey() + " shows template syntax: " + raw.group());
            Object fetched = driver.executeAsyncScript(FETCH_EVERYTHING);
            assertFalse(String.valueOf(fetched).startsWith("failed"), page.getKey() + ": " + fetched);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> outcomes = (List<Map<String, Object>>) driver
                    .executeAsyncScript(SEND_EVERY_FORM, CsrfFilter.TITLE);
            assertTrue(outcomes.stream().anyMatch(o -> "/logout".equals(o.get("action"))),
                    page.getKey() + " has the log-out form");
            for (Map<String, Object> outcome : outcomes) {
                sent++;
                if (outcome.get("problem") != null) {
                    failures.add(page.getKey() + " form " + outcome.get("action") + ": " + outcome.get("problem"));
                }
            }
            go("/campaigns");
            assertTrue(driver.getCurrentUrl().contains("/login"), "logging out from " + page.getKey()
                    + " logged out");
            login(Api.ADMIN, Api.ADMIN_PASSWORD);
        }
        assertEquals(List.of(), failures);
        assertTrue(sent >= 30, "sent only " + sent + " forms");
    }

    private String freshUserPage() {
        String username = Api.unique("csrf-user");
        Number id = Api.asAdmin().contentType("application/json")
                .body(Map.of("username", username, "password", Api.PASSWORD, "role", "ANNOTATOR"))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        Api.token(username, Api.PASSWORD);
        return "/admin/users/" + id;
    }

    private String firstReviewItem(long campaign) {
        go("/campaigns/" + campaign + "/items");
        return driver.findElements(By.cssSelector("a[href*='/review/items/']")).stream()
                .map(a -> a.getDomAttribute("href")).findFirst()
                .orElseThrow(() -> new AssertionError("the item browser links no item"));
    }

    @Test
    void aFormThatFailsTheCheckGetsRanklabsPageWithTheWayBack() {
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/admin/users");
        // As after the cookie was lost, say by clearing the site's data in another tab.
        driver.manage().deleteCookieNamed(Forms.CSRF_COOKIE);
        driver.findElement(By.id("username")).sendKeys(Api.unique("late"));
        driver.findElement(By.id("password")).sendKeys(Api.PASSWORD);
        driver.findElement(By.cssSelector("form.stack button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), CsrfFilter.TITLE));
        assertTrue(driver.findElement(By.tagName("main")).getText().contains("Nothing was changed"));
        Browser.screenshot(driver, "csrf-refused");
        driver.findElement(By.linkText("Back to the page")).click();
        wait.until(ExpectedConditions.urlContains("/admin/users"));
        // The refusal page handed out a new cookie, so the reloaded page's forms work again: log out.
        driver.findElement(By.xpath("//button[normalize-space()='Log out']")).click();
        wait.until(ExpectedConditions.urlContains("/login"));
        go("/campaigns");
        assertTrue(driver.getCurrentUrl().contains("/login"));
    }
}
