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

    /** Sends the n-th post form as the browser would, without the page's own checks in the way. */
    private static final String SUBMIT = """
            const form = document.querySelectorAll('form[method=post]')[arguments[0]];
            window.ranklabOldPage = true;
            HTMLFormElement.prototype.submit.call(form);
            return form.getAttribute('action');
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
        // Its forms archive and pause it: every form gets a campaign of its own.
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
            String path = page.getValue().get();
            go(path);
            long forms = (Long) driver.executeScript("return document.querySelectorAll('form[method=post]').length");
            assertTrue(forms >= 1, page.getKey() + " has at least the log-out form");
            for (int i = 0; i < forms; i++) {
                if (i > 0) {
                    // The previous form left the page: a fresh one (for some kinds, of a fresh record).
                    go(page.getValue().get());
                }
                Object fetched = driver.executeAsyncScript(FETCH_EVERYTHING);
                assertFalse(String.valueOf(fetched).startsWith("failed"), page.getKey() + ": " + fetched);
                long now = (Long) driver.executeScript(
                        "return document.querySelectorAll('form[method=post]').length");
                if (i >= now) {
                    continue;
                }
                String action = (String) driver.executeScript(SUBMIT, i);
                if (action.endsWith("/reward-models/train")) {
                    // Training runs for a while in the background; its form is checked without sending it.
                    driver.navigate().refresh();
                    continue;
                }
                wait.until(d -> driver.executeScript("return window.ranklabOldPage === undefined "
                        + "&& document.readyState === 'complete'"));
                sent++;
                String outcome = outcome(page.getKey() + " form " + i + " (" + action + ")");
                if (outcome != null) {
                    failures.add(outcome);
                }
                if (action.equals("/logout")) {
                    go("/campaigns");
                    assertTrue(driver.getCurrentUrl().contains("/login"), "logging out from " + page.getKey()
                            + " logged out");
                    login(Api.ADMIN, Api.ADMIN_PASSWORD);
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(sent >= 30, "sent only " + sent + " forms");
    }

    /** Null when the answer is a Ranklab page other than the CSRF refusal, else what went wrong. */
    private String outcome(String what) {
        String text = driver.findElement(By.tagName("body")).getText();
        if (text.contains(CsrfFilter.TITLE)) {
            return what + ": refused as a forgery";
        }
        if (driver.findElements(By.cssSelector("header.topbar")).isEmpty()) {
            return what + ": not a Ranklab page: " + text.substring(0, Math.min(200, text.length()));
        }
        return null;
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
