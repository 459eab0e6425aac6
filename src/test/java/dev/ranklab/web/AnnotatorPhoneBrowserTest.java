package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;

/** The task page on a 390×844 phone: cards stacked, ranked by their own place controls, GFM tables rendered. */
@QuarkusTest
class AnnotatorPhoneBrowserTest extends BrowserTest {

    private static final String TABLE = "| Method | Copies |\n|---|---|\n| `items[::-1]` | yes |\n| `reverse()` | no |";

    @Override
    protected int[] windowSize() {
        return new int[]{390, 844};
    }

    @Test
    void rankingOnAPhoneNeedsNoDragAndTablesRenderAsTables() throws Exception {
        long campaign = Api.newCampaign(Map.of("name", Api.unique("phone"), "kind", "RANKING", "responsesPerItem", 4,
                "guidelines", "Prefer answers that say which method copies:\n\n" + TABLE));
        ObjectMapper json = new ObjectMapper();
        String line = json.writeValueAsString(Map.of("externalId", "p1", "prompt", "How do I reverse a list?",
                "responses", List.of("Two ways:\n\n" + TABLE, "Use `reversed()`, it returns an iterator.",
                        "# Heading\nCall `items.reverse()`.", "~~Sort it~~ slice it: `items[::-1]`.")));
        Api.ndjson(line + "\n").post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        // Chromium's headless window is at least 500 px wide: the phone's viewport is emulated.
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        loginAsNewAnnotator();
        go("/annotate/" + campaign);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-ranked]")));

        // The GFM table renders as a table in the response and in the guidelines; a heading stays below the title.
        assertEquals(1, driver.findElements(By.cssSelector(".response-text table")).size());
        assertEquals(1, driver.findElements(By.cssSelector(".response-text del")).size());
        WebElement heading = driver.findElement(By.cssSelector(".response-text h1"));
        WebElement title = driver.findElement(By.cssSelector(".response h2"));
        assertTrue(Double.parseDouble(heading.getCssValue("font-size").replace("px", "")) <= Double
                .parseDouble(title.getCssValue("font-size").replace("px", "")),
                "a heading is not bigger than the title");
        assertEquals(1, driver.findElements(By.cssSelector("#guidelines-dialog .prose table")).size());

        // Cards stack, and nothing makes the page wider than the phone.
        Browser.screenshot(driver, "32-phone");
        List<WebElement> cards = driver.findElements(By.cssSelector("[data-response]"));
        for (int i = 1; i < cards.size(); i++) {
            assertTrue(cards.get(i).getRect().getY() > cards.get(i - 1).getRect().getY(), "stacked");
        }
        Object wider = driver.executeScript("""
                const out = [];
                document.querySelectorAll('main *').forEach(el => {
                  const r = el.getBoundingClientRect();
                  if (r.width && r.right > document.documentElement.clientWidth + 1 && !el.closest('dialog')) {
                    out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
                  }
                });
                return out.slice(0, 8);""");
        assertEquals(List.of(), wider, "elements wider than the phone");

        // Ranked on each card's own control, no drag; ratings by tapping.
        int[] places = {2, 3, 1, 4};
        for (int i = 0; i < 4; i++) {
            WebElement card = cards.get(i);
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", card);
            new Select(card.findElement(By.cssSelector("[data-place-select]"))).selectByValue(
                    String.valueOf(places[i]));
            card.findElement(By.xpath(".//input[@value='" + (7 - places[i]) + "']/parent::label")).click();
        }
        assertEquals("Ready to submit.", driver.findElement(By.cssSelector("[data-missing]")).getText());
        WebElement bar = driver.findElement(By.cssSelector(".submitbar"));
        assertTrue(bar.getRect().getHeight() < 844 * 0.12, "the bottom bar is compact: " + bar.getRect().getHeight());
        Browser.darkMode(driver, true);
        driver.executeScript("window.scrollTo(0, 0)");
        Browser.screenshot(driver, "33-phone-dark");
        Browser.darkMode(driver, false);

        String taskId = driver.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id");
        driver.findElement(By.cssSelector("[data-submit]")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[data-task]")).isEmpty()
                ? !taskId.equals(d.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id"))
                : d.getPageSource().contains("All done"));

        // Pairwise on a phone: the four picks fit in the bottom bar, and one tap answers the task.
        long pairwise = Api.newCampaign(Map.of("name", Api.unique("phone-pair"), "kind", "RANKING",
                "responsesPerItem", 2, "ratingsRequired", false));
        Api.ndjson(json.writeValueAsString(Map.of("externalId", "q1", "prompt", "Say hi.", "responses",
                List.of("Hi there!", "Hello."))) + "\n").post("/api/v1/campaigns/" + pairwise + "/items").then()
                .statusCode(200);
        Api.setStatus(pairwise, "ACTIVE");
        go("/annotate/" + pairwise);
        List<WebElement> picks = wait.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("[data-pick]"));
            return found.size() == 4 ? found : null;
        });
        for (WebElement pick : picks) {
            assertTrue(pick.getRect().getY() + pick.getRect().getHeight() <= 844 && pick.getRect().getX() >= 0
                    && pick.getRect().getX() + pick.getRect().getWidth() <= 390, pick.getText() + " is on screen");
        }
        WebElement pairBar = driver.findElement(By.cssSelector(".submitbar"));
        assertTrue(pairBar.getRect().getHeight() < 844 * 0.22, "the pairwise bar: " + pairBar.getRect().getHeight());
        Browser.screenshot(driver, "37-phone-pairwise");
        driver.findElement(By.cssSelector("[data-pick='B']")).click();
        wait.until(d -> d.getPageSource().contains("All done"));
    }
}
