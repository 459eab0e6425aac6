package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
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
 * The admin and researcher pages, light and dark, for people to look at (target/screenshots/admin-*.png). It checks
 * little, so it runs on request only (see the pom's test.excludedGroups).
 */
@QuarkusTest
@Tag("screenshots")
class AdminScreenshotsBrowserTest extends BrowserTest {

    @Override
    protected int[] windowSize() {
        return new int[]{1200, 860};
    }

    private void both(String name) {
        Browser.darkMode(driver, false);
        Browser.screenshot(driver, "admin-" + name + "-light");
        Browser.darkMode(driver, true);
        Browser.screenshot(driver, "admin-" + name + "-dark");
        Browser.darkMode(driver, false);
    }

    @Test
    void eachPageKindLightAndDark() {
        long campaign = Tasks.oneAgreedOneDisputedItem();
        Api.newRankingCampaign(2);
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("campaigns", "/campaigns");
        pages.put("campaign", "/campaigns/" + campaign);
        pages.put("campaign-settings", "/campaigns/" + campaign + "/edit");
        pages.put("dashboard", "/campaigns/" + campaign + "/dashboard");
        pages.put("audit", "/admin/audit");
        pages.put("items", "/campaigns/" + campaign + "/items?sort=agreement");
        pages.put("data", "/campaigns/" + campaign + "/data");
        pages.put("review-queue", "/campaigns/" + campaign + "/review?threshold=0.8");
        pages.put("users", "/admin/users");
        pages.put("reward-models", "/reward-models");
        for (var page : pages.entrySet()) {
            go(page.getValue());
            if (page.getKey().equals("dashboard")) {
                driver.findElements(By.cssSelector("details.chart-table")).get(1).click();
            }
            both(page.getKey());
        }
        go("/campaigns/" + campaign + "/items");
        String item = driver.findElements(By.cssSelector("a[href*='/review/items/']")).get(0).getDomAttribute("href");
        go(item);
        driver.executeScript("document.querySelector('table').scrollIntoView()");
        both("review-item");

        go("/campaigns/" + campaign + "/data?format=pairs&submittedAfter=yesterday");
        driver.executeScript("document.getElementById('submittedAfter').scrollIntoView({block: 'center'})");
        both("export-filter-errors");

        // A webhook whose receiver is down, after its test event: the error in words, and Retry now.
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Number hook = Api.asAdmin().contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:" + closed + "/ranklab", "events",
                        java.util.List.of("campaign.completed", "item.completed")))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        Api.asAdmin().post("/api/v1/webhooks/" + hook + "/test").then().statusCode(202);
        go("/admin/webhooks");
        wait.until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id("webhook-" + hook)).getText().contains("connection refused");
        });
        driver.executeScript("document.getElementById('webhook-" + hook + "').scrollIntoView()");
        both("webhooks");
        Api.asAdmin().delete("/api/v1/webhooks/" + hook).then().statusCode(204);

        String user = Api.unique("shot");
        Number userId = Api.asAdmin().contentType("application/json")
                .body(Map.of("username", user, "password", Api.PASSWORD, "role", "ANNOTATOR"))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        go("/admin/users/" + userId);
        driver.findElement(By.id("password")).sendKeys("short");
        driver.findElement(By.xpath("//button[normalize-space()='Set password']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-error")));
        both("user-password-error");

        go("/campaigns/new");
        driver.findElement(By.id("leaseMinutes")).sendKeys("abc");
        driver.findElement(By.cssSelector(".actions button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("leaseMinutes-error")));
        both("form-errors");

        go("/admin/users");
        driver.manage().deleteCookieNamed(Forms.CSRF_COOKIE);
        driver.findElement(By.id("username")).sendKeys(Api.unique("late"));
        driver.findElement(By.cssSelector("form.stack button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), CsrfFilter.TITLE));
        both("form-refused");
        assertFalse(driver.getPageSource().contains("HTTP ERROR"));
    }
}
