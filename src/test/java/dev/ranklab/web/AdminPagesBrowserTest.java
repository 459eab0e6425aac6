package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;
import dev.ranklab.support.Tasks;

/** The admin's main flows in real headless Chromium, with screenshots under target/screenshots. */
@QuarkusTest
class AdminPagesBrowserTest extends BrowserTest {

    private static final String XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>";

    private void assertNoAlert() {
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
    }

    @Test
    void adminCreatesACampaignImportsItemsActivatesItAndAddsAUser() throws Exception {
        go("/campaigns");
        wait.until(ExpectedConditions.urlContains("/login"));
        Browser.screenshot(driver, "01-login");
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        assertTrue(driver.getCurrentUrl().endsWith("/campaigns"), driver.getCurrentUrl());
        Browser.screenshot(driver, "02-campaigns");

        driver.findElement(By.linkText("New campaign")).click();
        String name = "Helpfulness " + Api.unique("batch");
        driver.findElement(By.id("name")).sendKeys(name);
        WebElement k = driver.findElement(By.id("responsesPerItem"));
        k.clear();
        k.sendKeys("12");
        driver.findElement(By.id("guidelines"))
                .sendKeys("# Rank by helpfulness\n\nPrefer **honest**, specific answers. "
                        + "Rank an answer that refuses a harmless request below one that helps.\n\n- Read the whole "
                        + "conversation first\n- Flag made-up facts as *hallucination*\n\n" + XSS);
        driver.findElement(By.cssSelector(".actions button[type=submit]")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("responsesPerItem-error")));
        assertTrue(error.getText().contains("between 2 and 9"), error.getText());
        assertEquals(name, driver.findElement(By.id("name")).getAttribute("value"));
        Browser.screenshot(driver, "03-campaign-form-error");

        k = driver.findElement(By.id("responsesPerItem"));
        k.clear();
        k.sendKeys("2");
        driver.findElement(By.cssSelector(".actions button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
        assertNoAlert();
        assertTrue(driver.findElement(By.cssSelector(".prose h1")).getText().contains("Rank by helpfulness"));
        assertTrue(driver.findElement(By.cssSelector(".prose")).getText().contains("<script>"));
        assertEquals(0, driver.findElements(By.cssSelector(".prose script, .prose img")).size());
        Browser.screenshot(driver, "04-campaign-created");

        Path file = Files.createTempFile("items", ".jsonl");
        Files.writeString(file, Api.rankingLine("b1", 2) + "\n{\"prompt\":\"one response\",\"responses\":[\"a\"]}\n"
                + Api.rankingLine("b2", 2) + "\n", StandardCharsets.UTF_8);
        driver.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        driver.findElement(By.cssSelector(".inline-form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/imports/"));
        String report = driver.findElement(By.tagName("main")).getText();
        assertTrue(report.contains("responses: this campaign needs exactly 2, got 1"), report);
        Browser.screenshot(driver, "05-import-report");

        driver.findElement(By.linkText("Back to the campaign")).click();
        driver.findElement(By.xpath("//button[normalize-space()='Activate']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("h1 .status"), "Active"));
        // The two valid lines of the file are the campaign's items; the line without responses is not.
        assertEquals("2", driver.findElement(By.xpath("//dt[normalize-space()='Items']/following-sibling::dd"))
                .getText());
        Browser.screenshot(driver, "06-campaign-active");

        go("/campaigns");
        Browser.darkMode(driver, true);
        Browser.screenshot(driver, "07-campaigns-dark");
        Browser.darkMode(driver, false);

        go("/admin/users");
        String annotator = Api.unique("ann");
        driver.findElement(By.id("username")).sendKeys(annotator);
        driver.findElement(By.id("password")).sendKeys("short");
        driver.findElement(By.cssSelector("form.stack button[type=submit]")).click();
        WebElement passwordError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-error")));
        assertTrue(passwordError.getText().contains("at least 10"));
        driver.findElement(By.id("password")).sendKeys("annotator-password");
        driver.findElement(By.cssSelector("form.stack button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
        assertTrue(driver.findElement(By.tagName("table")).getText().contains(annotator));
        Browser.screenshot(driver, "08-users");

        driver.findElement(By.xpath("//button[normalize-space()='Log out']")).click();
        wait.until(ExpectedConditions.urlContains("/login"));

        login(annotator, "annotator-password");
        String campaigns = driver.findElement(By.tagName("main")).getText();
        assertTrue(campaigns.contains("Helpfulness"), campaigns);
        assertFalse(campaigns.contains("New campaign"));
        assertNoAlert();
        Browser.screenshot(driver, "09-annotator-campaigns");
    }

    @Test
    void markupInNamesIsShownAsText() {
        long id = Api.newCampaign(java.util.Map.of("name", Api.unique("xss") + XSS, "kind", "DEMONSTRATION",
                "guidelines", XSS + " [link](javascript:alert(1))"));
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/campaigns/" + id);
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains(XSS), "the name shows as text");
        assertEquals(0, driver.findElements(By.cssSelector("main script, main img, a[href^='javascript']")).size());
        go("/campaigns");
        assertTrue(driver.findElement(By.tagName("table")).getText().contains(XSS));
        assertNoAlert();
    }

    @Test
    void narrowScreensStackTheLayout() {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(420, 900));
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/campaigns/new");
        Browser.screenshot(driver, "10-campaign-form-narrow");
        long overflow = (Long) driver.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertTrue(overflow <= 0, "no horizontal scrolling on a phone-sized screen, got " + overflow);
    }

    @Test
    void adminDeactivatesAndReactivatesAUser() {
        String annotator = Api.unique("ann");
        Api.asAdmin().contentType("application/json")
                .body(java.util.Map.of("username", annotator, "password", Api.PASSWORD, "role", "ANNOTATOR"))
                .post("/api/v1/users").then().statusCode(201);
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/admin/users");
        driver.findElement(By.linkText(annotator)).click();
        wait.until(ExpectedConditions.titleContains(annotator));
        driver.findElement(By.xpath("//button[normalize-space()='Deactivate']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        String flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash"))).getText();
        assertTrue(flash.contains("Deactivated"), flash);
        assertTrue(driver.findElement(By.tagName("h1")).getText().toLowerCase().contains("deactivated"));
        Browser.screenshot(driver, "12-user-deactivated");
        driver.findElement(By.xpath("//button[normalize-space()='Reactivate']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Reactivated"));
        assertNoAlert();
        driver.findElement(By.linkText("Audit")).click();
        wait.until(ExpectedConditions.titleContains("Audit log"));
        String log = driver.findElement(By.cssSelector("table")).getText();
        assertTrue(log.contains("user.deactivate") && log.contains("user.update"), log);
        Browser.screenshot(driver, "13-audit-log");
    }

    @Test
    void everyDashboardChartHasItsTableAndFlagRatesAreDrawnAgainstAHundredPercent() {
        long campaign = Tasks.activeRankingCampaign(3, 1, 2);
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        // Before the first submission a sentence stands where the charts would be bare axes.
        go("/campaigns/" + campaign + "/dashboard");
        wait.until(d -> "true".equals(d.findElement(By.id("dashboard")).getDomAttribute("data-charts-drawn")));
        for (String empty : new String[]{"days", "ratings"}) {
            assertEquals("No submissions yet: the charts appear with the first one.",
                    driver.findElement(By.cssSelector("[data-chart-empty=" + empty + "]")).getText(), empty);
        }
        // The reward model's chart follows the app's versions, not this campaign: it is drawn once any version
        // was trained, whichever test trained it first.
        assertEquals(java.util.List.of("chart-status"), driver.findElements(By.cssSelector("figure.chart canvas"))
                .stream().map(c -> c.getDomAttribute("id")).filter(id -> !"chart-model".equals(id)).toList(),
                "only the items' chart has something to draw");
        String annotator = Api.newUser("ANNOTATOR");
        int taskId = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
        // One of three rated responses flagged: a third of the bar, not all of it.
        Tasks.submit(annotator, taskId, java.util.Map.of("ranking", java.util.List.of(java.util.List.of("r1"),
                java.util.List.of("r2"), java.util.List.of("r3")), "ratings",
                java.util.Map.of("r1", 6, "r2", 4,
                        "r3", 2),
                "flags", java.util.Map.of("r3", java.util.List.of("hallucination"))), null)
                .then().statusCode(201);
        go("/campaigns/" + campaign + "/dashboard");
        wait.until(d -> "true".equals(d.findElement(By.id("dashboard")).getDomAttribute("data-charts-drawn")));
        java.util.List<WebElement> charts = driver.findElements(By.cssSelector("figure.chart"));
        assertTrue(charts.size() >= 6, "status, days, hours, annotators, ratings, flags: " + charts.size());
        for (WebElement chart : charts) {
            String id = chart.findElement(By.tagName("canvas")).getDomAttribute("id");
            assertEquals(1, chart.findElements(By.cssSelector("details.chart-table table")).size(), id);
            assertEquals("Show as table", chart.findElement(By.tagName("summary")).getText(), id);
        }
        assertEquals(1.0, ((Number) driver.executeScript("return Chart.getChart('chart-flags').scales.x.max"))
                .doubleValue(), "the flag axis ends at 100%");
        assertEquals(1.0 / 3, ((Number) driver.executeScript("const c = Chart.getChart('chart-flags'); return c.data"
                + ".datasets[0].data[c.data.labels.findIndex(l => l.startsWith('Hallucination'))]")).doubleValue(),
                0.001);
        WebElement flags = driver.findElement(By.xpath("//figure[.//canvas[@id='chart-flags']]"));
        flags.findElement(By.tagName("summary")).click();
        String row = flags.findElement(By.xpath(".//tbody/tr[th[starts-with(., 'Hallucination')]]")).getText();
        assertTrue(row.contains("1") && row.contains("33.3%"), row);
        WebElement ratings = driver.findElement(By.xpath("//figure[.//canvas[@id='chart-ratings']]"));
        ratings.findElement(By.tagName("summary")).click();
        assertEquals(7, ratings.findElements(By.cssSelector("tbody tr")).size(), "the whole 1–7 scale");
        WebElement days = driver.findElement(By.xpath("//figure[.//canvas[@id='chart-days']]"));
        days.findElement(By.tagName("summary")).click();
        assertTrue(days.findElement(By.cssSelector("tbody")).getText().contains("1"), "today's task");
        // Submitted through the API, so the page measured no active time: no lease-to-submit "0 s" in its place.
        WebElement median = driver.findElement(By.xpath("//th[normalize-space()='Median active time']"));
        assertTrue(median.getDomAttribute("title").contains("visible and in use"), median.getDomAttribute("title"));
        assertEquals("–", driver.findElement(By.xpath("//table[.//th[normalize-space()='Median active time']]"
                + "/tbody/tr[1]/td[3]")).getText());
    }

    @Test
    void adminSubscribesAWebhookAndSeesTheSecretOnce() {
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/admin/users");
        driver.findElement(By.linkText("Webhooks")).click();
        wait.until(ExpectedConditions.titleContains("Webhooks"));
        driver.findElement(By.xpath("//button[normalize-space()='Add webhook']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("url-error")));
        driver.findElement(By.id("url")).sendKeys("https://hooks.example.org/ranklab");
        driver.findElement(By.cssSelector("input[name=events][value='reward_model.promoted']")).click();
        driver.findElement(By.xpath("//button[normalize-space()='Add webhook']")).click();
        String notice = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash"))).getText();
        assertTrue(notice.contains("signing secret"), notice);
        Browser.screenshot(driver, "14-webhooks");
        go("/admin/webhooks");
        assertFalse(driver.getPageSource().contains("signing secret"), "the secret is shown only once");
        java.util.List<WebElement> removes = driver.findElements(By.xpath("//button[normalize-space()='Remove']"));
        removes.get(removes.size() - 1).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "removed"));
    }

    @Test
    void aTestEventToAnUnreachableReceiverSaysWhyInWordsAndCanBeRetried() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/admin/webhooks");
        driver.findElement(By.id("url")).sendKeys("http://127.0.0.1:" + closed + "/ranklab");
        driver.findElement(By.cssSelector("input[name=events][value='campaign.completed']")).click();
        driver.findElement(By.xpath("//button[normalize-space()='Add webhook']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
        go("/admin/webhooks");
        WebElement hook = driver.findElement(By.xpath("//article[.//code[text()='http://127.0.0.1:" + closed
                + "/ranklab']]"));
        String id = hook.getDomAttribute("id");
        hook.findElement(By.xpath(".//button[normalize-space()='Send a test event']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Test event queued"));
        // The deliverer runs every two seconds; the page shows how the attempt went once it has run.
        String expected = "Could not connect to 127.0.0.1:" + closed + " (connection refused)";
        wait.until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id(id)).getText().contains(expected);
        });
        String text = driver.findElement(By.id(id)).getText();
        assertFalse(text.contains("Exception"), text);
        assertTrue(text.contains("webhook.test"), text);
        driver.executeScript("arguments[0].scrollIntoView()", driver.findElement(By.id(id)));
        Browser.screenshot(driver, "15-webhook-delivery-error");
        driver.findElement(By.id(id)).findElement(By.xpath(".//button[normalize-space()='Retry now']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "sent again now"));
        Api.asAdmin().delete("/api/v1/webhooks/" + id.substring("webhook-".length())).then().statusCode(204);
    }
}
