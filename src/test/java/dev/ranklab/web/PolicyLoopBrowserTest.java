package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;
import dev.ranklab.support.FakeChatServer;
import dev.ranklab.support.Tasks;

/**
 * The policy in the loop, as an admin uses it on a phone: add a model endpoint (the key never shown again) and test
 * it, generate the responses of a campaign's waiting items from it and watch the job finish, then read the Models
 * page once annotators have ranked them; in light and dark mode.
 */
@QuarkusTest
class PolicyLoopBrowserTest extends BrowserTest {

    @Override
    protected int[] windowSize() {
        return new int[]{390, 844};
    }

    @Test
    void addTestGenerateAndCompareModels() throws Exception {
        String key = "sk-browser-" + Api.unique("key");
        try (FakeChatServer server = new FakeChatServer()) {
            login(Api.ADMIN, Api.ADMIN_PASSWORD);
            go("/admin/model-endpoints");
            String name = Api.unique("local-llama");
            driver.findElement(By.id("name")).sendKeys(name);
            driver.findElement(By.id("baseUrl")).sendKeys(server.baseUrl());
            driver.findElement(By.id("model")).sendKeys("llama3.2:1b");
            driver.findElement(By.id("apiKey")).sendKeys(key);
            driver.findElement(By.id("timeoutSeconds")).sendKeys(Keys.ENTER);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "added"));
            assertFalse(driver.getPageSource().contains(key), "the key is on the page");
            driver.findElement(By.cssSelector("button[aria-label='Test " + name + "']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "answered in"));
            assertFalse(driver.findElement(By.cssSelector(".flash")).getDomAttribute("class").contains("error"));
            Browser.screenshot(driver, "policy-01-endpoints-phone");
            Browser.darkMode(driver, true);
            Browser.screenshot(driver, "policy-02-endpoints-phone-dark");
            Browser.darkMode(driver, false);

            // A failed test is an error, not a success; the page never scrolls sideways on a phone.
            String down = Api.unique("down");
            Api.asAdmin().contentType(io.restassured.http.ContentType.JSON).body(Map.of("name", down, "baseUrl",
                    "http://127.0.0.1:9/v1", "model", "Org/Medium-7B-Instruct", "timeoutSeconds", 2))
                    .post("/api/v1/model-endpoints").then().statusCode(201);
            go("/admin/model-endpoints");
            driver.findElement(By.cssSelector("button[aria-label='Test " + down + "']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "failed"));
            org.openqa.selenium.WebElement flash = driver.findElement(By.cssSelector(".flash"));
            assertTrue(flash.getDomAttribute("class").contains("flash-error") && "alert".equals(flash
                    .getDomAttribute("role")) && flash.getText().contains("http://127.0.0.1:9/v1/chat/completions"),
                    flash.getDomAttribute("class") + " " + flash.getText());
            assertNoSidewaysScroll();
            Browser.screenshot(driver, "policy-01b-endpoint-test-failed-phone");
            Browser.darkMode(driver, true);
            Browser.screenshot(driver, "policy-01b-endpoint-test-failed-phone-dark");
            Browser.darkMode(driver, false);
            // Remove asks first.
            assertTrue(driver.findElement(By.cssSelector("button[aria-label='Remove " + down + "']"))
                    .getDomAttribute("data-confirm").startsWith("Remove " + down + "?"));

            // Edit: every bad field named at once, the first focused; a blank default is none.
            driver.findElement(By.cssSelector("a[aria-label='Edit " + down + "']")).click();
            wait.until(ExpectedConditions.urlContains("/edit"));
            driver.findElement(By.id("baseUrl")).clear();
            driver.findElement(By.id("baseUrl")).sendKeys("http://user:pw@127.0.0.1:9/v1");
            driver.findElement(By.id("temperature")).sendKeys("0.7");
            driver.findElement(By.id("topP")).sendKeys("3");
            driver.findElement(By.xpath("//button[normalize-space()='Save']")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("baseUrl-error")));
            assertTrue(driver.findElement(By.id("baseUrl-error")).getText().contains("apiKey"));
            assertTrue(driver.findElement(By.id("defaults.topP-error")).getText().contains("at most 1"));
            assertTrue("baseUrl".equals(driver.switchTo().activeElement().getDomAttribute("id")));
            Browser.screenshot(driver, "policy-01c-endpoint-edit-errors-phone");
            driver.findElement(By.id("baseUrl")).clear();
            driver.findElement(By.id("baseUrl")).sendKeys("http://127.0.0.1:9/v1");
            driver.findElement(By.id("topP")).clear();
            driver.findElement(By.xpath("//button[normalize-space()='Save']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "saved"));
            assertTrue(driver.findElement(By.xpath("//tr[th[normalize-space()='" + down + "']]")).getText()
                    .contains("temperature 0.7"));
            desktopScreenshots("policy-01d-endpoints");

            long campaign = Api.newCampaign(Map.of("name", Api.unique("Generated"), "kind", "RANKING",
                    "responsesPerItem", 2, "overlap", 1));
            Api.ndjson("{\"externalId\":\"w1\",\"prompt\":\"Name a prime.\"}\n"
                    + "{\"externalId\":\"w2\",\"prompt\":\"Name a colour.\"}\n")
                    .post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
            Api.setStatus(campaign, "ACTIVE");
            go("/campaigns/" + campaign + "/items?status=WAITING");
            assertTrue(driver.findElement(By.tagName("main")).getText().contains("waiting"));

            go("/campaigns/" + campaign);
            driver.findElement(By.linkText("Generate")).click();
            wait.until(ExpectedConditions.urlContains("/generations"));
            List<org.openqa.selenium.WebElement> samples = driver.findElements(By.name("samples"));
            for (org.openqa.selenium.WebElement field : samples) {
                field.clear();
                field.sendKeys("0");
            }
            org.openqa.selenium.WebElement mine = driver.findElement(By.xpath("//label[starts-with(normalize-space(),"
                    + " '" + name + "')]/following-sibling::input[@name='samples']"));
            mine.clear();
            mine.sendKeys("2");
            driver.findElement(By.xpath("//button[normalize-space()='Generate']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "started"));
            for (int i = 0; i < 300
                    && !driver.findElement(By.tagName("main")).getText().contains("2 of 2 items done"); i++) {
                Thread.sleep(200);
                driver.navigate().refresh();
            }
            assertTrue(driver.findElement(By.tagName("main")).getText().contains("2 of 2 items done"));
            assertNoSidewaysScroll();
            Browser.screenshot(driver, "policy-03-generation-phone");
            desktopScreenshots("policy-03-generation");

            // A job whose every item failed says so: its badge and a red bar, not a plain "completed".
            long downId = ((Number) Api.asAdmin().get("/api/v1/model-endpoints").then().extract()
                    .path("find { it.name == '" + down + "' }.id")).longValue();
            long failing = Api.newCampaign(Map.of("name", Api.unique("Failing"), "kind", "RANKING",
                    "responsesPerItem", 2, "overlap", 1));
            Api.ndjson("{\"externalId\":\"f1\",\"prompt\":\"Name a river.\"}\n")
                    .post("/api/v1/campaigns/" + failing + "/items").then().statusCode(200);
            Api.asAdmin().contentType(io.restassured.http.ContentType.JSON).body(Map.of("sources", List.of(Map.of(
                    "endpointId", downId, "samples", 2)))).post("/api/v1/campaigns/" + failing + "/generations")
                    .then().statusCode(202);
            go("/campaigns/" + failing + "/generations");
            // The item's failure shows as soon as it is stored; the job's badge once the job has ended.
            String badge = "";
            for (int i = 0; i < 300 && !badge.startsWith("completed"); i++) {
                Thread.sleep(200);
                driver.navigate().refresh();
                badge = driver.findElement(By.cssSelector(".generation-job .status")).getText().toLowerCase();
            }
            assertEquals("completed, 1 of 1 failed", badge);
            assertNoSidewaysScroll();
            Browser.screenshot(driver, "policy-03b-generation-failed-phone");
            Browser.darkMode(driver, true);
            Browser.screenshot(driver, "policy-03b-generation-failed-phone-dark");
            Browser.darkMode(driver, false);
            desktopScreenshots("policy-03b-generation-failed");

            String annotator = Api.newUser("ANNOTATOR");
            Tasks.submitShownOrder(annotator, Tasks.next(annotator, campaign)).then().statusCode(201);
            go("/campaigns/" + campaign);
            driver.findElement(By.linkText("Models")).click();
            wait.until(ExpectedConditions.urlContains("/models"));
            // Both responses come from one model: nothing to compare, and the page says why.
            assertTrue(driver.findElement(By.tagName("main")).getText().contains("No model comparisons yet"));

            long compared = Tasks.activeRankingCampaign(2, 1, 3);
            for (int i = 0; i < 3; i++) {
                String ranker = Api.newUser("ANNOTATOR");
                Tasks.submitShownOrder(ranker, Tasks.next(ranker, compared)).then().statusCode(201);
            }
            go("/campaigns/" + compared + "/models");
            String text = driver.findElement(By.tagName("main")).getText();
            assertTrue(text.contains("m1") && text.contains("m2") && text.contains("Head to head"), text);
            // Rejection sampling starts here; it needs an endpoint (there is one) and a READY reward-model version.
            assertTrue(text.contains("Rejection sampling"), text);
            assertNoSidewaysScroll();
            Browser.screenshot(driver, "policy-04-models-phone");
            desktopScreenshots("policy-04-models");
            Browser.darkMode(driver, true);
            Browser.screenshot(driver, "policy-05-models-phone-dark");
            Browser.darkMode(driver, false);

            // The dashboard's panel shows the leaders and leads to the Models page.
            go("/campaigns/" + compared + "/dashboard");
            org.openqa.selenium.WebElement panel = driver.findElement(By.id("models"));
            assertTrue(panel.getText().contains("m1") && panel.getText().contains("m2")
                    && panel.getText().toLowerCase(java.util.Locale.ROOT).contains("95% interval"), panel.getText());
            new org.openqa.selenium.interactions.Actions(driver).scrollToElement(panel).perform();
            Browser.screenshot(driver, "policy-06-dashboard-models-phone");
            Browser.darkMode(driver, true);
            Browser.screenshot(driver, "policy-07-dashboard-models-phone-dark");
            Browser.darkMode(driver, false);
            panel.findElement(By.linkText("All models and the head-to-head matrix")).click();
            wait.until(ExpectedConditions.urlContains("/models"));

            // A DEMONSTRATION campaign has nothing to generate or compare: the pages say so instead of a form.
            long demo = Api.newCampaign(Map.of("name", Api.unique("Demo"), "kind", "DEMONSTRATION"));
            go("/campaigns/" + demo + "/generations");
            assertTrue(driver.findElement(By.tagName("main")).getText().contains("For ranking campaigns"));
            assertTrue(driver.findElements(By.xpath("//button[normalize-space()='Generate']")).isEmpty());
            go("/campaigns/" + demo + "/models");
            assertTrue(driver.findElement(By.tagName("main")).getText().contains("For ranking campaigns"));
        }
    }

    /** The page as a desk-sized window shows it, light and dark, for people to look at. */
    private void desktopScreenshots(String name) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        Browser.screenshot(driver, name + "-desktop");
        Browser.darkMode(driver, true);
        Browser.screenshot(driver, name + "-desktop-dark");
        Browser.darkMode(driver, false);
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    }

    /** Nothing on the page's own part (its main) reaches past the window: wide tables scroll in their box. */
    private void assertNoSidewaysScroll() {
        Object wide = driver.executeScript("return [...document.querySelectorAll('main *')].filter(e => {"
                + " const r = e.getBoundingClientRect(); if (r.right <= document.documentElement.clientWidth + 1) "
                + "return false; for (let p = e.parentElement; p; p = p.parentElement) { const box = "
                + "p.getBoundingClientRect(); if (getComputedStyle(p).overflowX !== 'visible' && box.right <= "
                + "document.documentElement.clientWidth + 1) return false; } return true; }).map(e => e.tagName + '.'"
                + " + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 6).join(', ')");
        assertEquals("", wide, driver.getCurrentUrl() + " reaches past the "
                + driver.executeScript("return document.documentElement.clientWidth") + " px window");
    }
}
