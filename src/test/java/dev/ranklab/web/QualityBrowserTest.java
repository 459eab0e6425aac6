package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;
import dev.ranklab.support.Tasks;

/**
 * The admin's quality flows in headless Chromium: the campaign form's guidelines preview and gold settings, the
 * annotator preview, the item browser and item page (making an item gold), and the dashboard's charts.
 */
@QuarkusTest
class QualityBrowserTest extends BrowserTest {

    @Test
    void adminPreviewsBrowsesMakesGoldAndReadsTheDashboard() {
        long campaign = Tasks.activeRankingCampaign(3, 2, 6);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("goldFirstTasks", 1, "goldPercent", 10,
                "guidelines", "Prefer **helpful** answers.")).patch("/api/v1/campaigns/" + campaign).then()
                .statusCode(200);
        String first = Api.newUser("ANNOTATOR");
        String second = Api.newUser("ANNOTATOR");
        for (int i = 0; i < 3; i++) {
            Tasks.rankThree(first, campaign, List.of(List.of("r1"), List.of("r2"), List.of("r3")));
            Tasks.rankThree(second, campaign, List.of(List.of("r2"), List.of("r1"), List.of("r3")));
        }
        login(Api.ADMIN, Api.ADMIN_PASSWORD);

        go("/campaigns/" + campaign + "/edit");
        assertEquals("1", driver.findElement(By.id("goldFirstTasks")).getAttribute("value"));
        driver.findElement(By.cssSelector("[data-guidelines-tab=preview]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#guidelines-preview strong"),
                "helpful"));
        Browser.screenshot(driver, "60-campaign-form-gold-preview");

        go("/campaigns/" + campaign + "/preview");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".preview-banner")));
        assertEquals(3, driver.findElements(By.cssSelector("[data-response]")).size());
        Browser.screenshot(driver, "61-annotator-preview");
        // Nothing was leased by looking.
        Api.asAdmin().get("/api/v1/campaigns/" + campaign + "/items?status=OPEN").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(3));

        go("/campaigns/" + campaign + "/items");
        driver.findElement(By.id("q")).sendKeys("question i4");
        driver.findElement(By.cssSelector("form[role=search] button")).click();
        wait.until(ExpectedConditions.urlContains("q=question"));
        assertEquals(1, driver.findElements(By.cssSelector("tbody tr")).size());
        Browser.screenshot(driver, "62-item-browser");

        go("/campaigns/" + campaign + "/items?status=COMPLETE");
        assertEquals(3, driver.findElements(By.cssSelector("tbody tr")).size());
        driver.findElement(By.cssSelector("tbody tr a")).click();
        wait.until(ExpectedConditions.urlContains("/review/items/"));
        String consensus = driver.findElement(By.cssSelector(".facts dd .tiers")).getText();
        // Two annotators who disagree on r1 against r2 and agree on the rest: r3 is last; r1 and r2 tie.
        assertEquals("r1 = r2 > r3", consensus);
        // A refused reference: its error beside the field, the field marked and focused, what was typed kept.
        driver.findElement(By.id("gold-ranking")).sendKeys("r1 > r9");
        driver.findElement(By.cssSelector("form[action$='/gold'] button")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        WebElement goldError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("gold-ranking-error")));
        assertTrue(goldError.getText().contains("'r9' is not a response of this item"), goldError.getText());
        WebElement gold = driver.findElement(By.id("gold-ranking"));
        assertEquals("true", gold.getDomAttribute("aria-invalid"));
        assertEquals("gold-ranking-error", gold.getDomAttribute("aria-describedby"));
        assertEquals("r1 > r9", gold.getDomProperty("value"));
        assertEquals("gold-ranking", driver.switchTo().activeElement().getDomAttribute("id"));
        assertTrue(driver.findElements(By.cssSelector(".flash")).isEmpty(), "no box at the top");
        Browser.screenshot(driver, "63-item-gold-error");
        gold.clear();
        gold.sendKeys("r1 > r2 > r3");
        driver.findElement(By.cssSelector("form[action$='/gold'] button")).click();
        // Making an item gold changes exports, training and annotators' scores: it asks first, saying so.
        org.openqa.selenium.Alert question = wait.until(ExpectedConditions.alertIsPresent());
        assertTrue(question.getText().contains("scored against this reference"), question.getText());
        question.accept();
        String flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash"))).getText();
        assertTrue(flash.startsWith("Gold item"), flash);
        assertTrue(driver.findElement(By.cssSelector("h1 .status-gold")).isDisplayed());
        Browser.screenshot(driver, "63-item-gold");
        String itemName = driver.findElement(By.tagName("h1")).getText().replaceFirst("^Item ", "")
                .replaceFirst("(?i)\\s+gold$", "");
        String itemPage = driver.getCurrentUrl();

        // The audit log offers the kinds of action it has recorded, and names the item as people know it.
        go("/admin/audit");
        List<String> kinds = new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("action")))
                .getOptions().stream().map(WebElement::getText).toList();
        assertTrue(kinds.stream().anyMatch(k -> k.startsWith("item (") && k.contains("gold")), kinds.toString());
        WebElement on = driver.findElement(By.xpath("//tr[td/code[.='item.gold']]/td[4]/a"));
        assertTrue(on.getText().startsWith("item " + itemName + " in "), on.getText());
        assertTrue(itemPage.endsWith(on.getDomAttribute("href")), on.getDomAttribute("href"));

        go("/campaigns/" + campaign + "/dashboard");
        wait.until(ExpectedConditions.attributeToBe(By.id("dashboard"), "data-charts-drawn", "true"));
        // Nobody flagged a response: a sentence instead of a flag-rate chart of bare axes.
        assertTrue(driver.findElement(By.cssSelector("[data-chart-empty=flags]")).getText().startsWith(
                "No flags set yet"));
        for (String chart : List.of("chart-status", "chart-days", "chart-hours", "chart-annotators",
                "chart-ratings")) {
            Object drawn = driver.executeScript("return !!Chart.getChart(document.getElementById(arguments[0]))",
                    chart);
            assertEquals(Boolean.TRUE, drawn, chart);
        }
        Browser.screenshot(driver, "64-dashboard");
        driver.executeScript("window.scrollTo(0, document.body.scrollHeight)");
        Browser.screenshot(driver, "65-dashboard-lower");
    }
}
