package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;

/** The annotator's pages in real headless Chromium: rank by keyboard and by drag-and-drop, drafts, submit. */
@QuarkusTest
class AnnotatorBrowserTest extends BrowserTest {

    private static final String XSS = "<script>alert('x')</script>";

    @Inject
    EntityManager em;

    @Override
    protected int[] windowSize() {
        return new int[]{1440, 1000};
    }

    private String newAnnotator() {
        String username = Api.unique("browser-ann");
        Api.asAdmin().contentType("application/json")
                .body(Map.of("username", username, "password", Api.PASSWORD, "role", "ANNOTATOR"))
                .post("/api/v1/users").then().statusCode(201);
        return username;
    }

    private void login(String username) {
        login(username, Api.PASSWORD);
    }

    private void press(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /** Clicks rating {@code value} on the response shown at {@code position} (1-based). */
    private void rate(int position, int value) {
        WebElement card = driver.findElements(By.cssSelector("[data-response]")).get(position - 1);
        card.findElement(By.xpath(".//input[@value='" + value + "']/parent::label")).click();
    }

    private String missing() {
        return driver.findElement(By.cssSelector("[data-missing]")).getText();
    }

    private long rankingCampaign() {
        long campaign = Api.newCampaign(Map.of("name", "Assistant replies " + Api.unique("b"), "kind", "RANKING",
                "responsesPerItem", 4, "guidelines", "Rank the **most helpful** reply first."));
        String line = "{\"externalId\":\"%s\",\"prompt\":[{\"role\":\"user\",\"content\":\"How do I reverse a list in "
                + "Python? " + XSS.replace("'", "\\u0027")
                + "\"},{\"role\":\"assistant\",\"content\":\"In place or a copy?\"},"
                + "{\"role\":\"user\",\"content\":\"A copy, please.\"}],\"responses\":["
                + "{\"text\":\"Use slicing:\\n\\n```python\\nreversed_list = items[::-1]\\n```\",\"model\":\"secret-model-a\"},"
                + "{\"text\":\"Call `list(reversed(items))`, which leaves the original untouched.\",\"model\":\"b\"},"
                + "{\"text\":\"" + XSS.replace("'", "\\u0027")
                + " items.reverse() changes the list itself.\",\"model\":\"c\"},"
                + "{\"text\":\"I cannot help with that.\",\"model\":\"d\"}]}\n";
        Api.ndjson(String.format(line, "p1") + String.format(line, "p2"))
                .post("/api/v1/campaigns/" + campaign + "/items")
                .then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        return campaign;
    }

    @Test
    void annotatorRanksByKeyboardAndDragKeepsADraftAcrossReloadAndSubmits() {
        long campaign = rankingCampaign();
        String annotator = newAnnotator();
        login(annotator);
        assertTrue(driver.getCurrentUrl().endsWith("/annotate"), driver.getCurrentUrl());
        Browser.screenshot(driver, "20-annotator-home");

        driver.findElement(By.cssSelector("a[href='/annotate/" + campaign + "']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-ranked]")));
        String page = driver.findElement(By.tagName("main")).getText();
        assertTrue(page.contains(XSS), "markup in prompts and responses is shown as text");
        assertFalse(page.contains("secret-model-a"), "model names are never shown to annotators");
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
        assertEquals(1, driver.findElements(By.cssSelector(".response pre code")).size(),
                "Markdown code blocks render");
        assertFalse(driver.findElement(By.cssSelector("[data-submit]")).isEnabled());
        assertTrue(missing().contains("Rate responses 1, 2, 3, 4"), missing());
        Browser.screenshot(driver, "21-ranking-empty");

        // Keyboard: select 2 and place it, then 1, then 3 tied with 1; rate with Shift+digit.
        press("2");
        press(Keys.ENTER);
        press("1");
        press(Keys.ENTER);
        press("3");
        press(Keys.ENTER);
        press("t");
        rate(2, 7);
        rate(1, 5);
        rate(3, 5);
        rate(4, 1);
        assertTrue(missing().contains("Rank response 4"), missing());

        // Drag-and-drop: response 4 from the pool to the end of the ranking.
        WebElement chip = driver.findElement(By.cssSelector("[data-pool] [data-chip]"));
        WebElement list = driver.findElement(By.cssSelector("[data-ranked]"));
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", list);
        new Actions(driver).clickAndHold(chip).pause(Duration.ofMillis(200)).moveToElement(list, 0, 10)
                .pause(Duration.ofMillis(200)).perform();
        // Once in the list the dragged response takes a place there and the list grows: the end of the ranking is
        // where the last entry is now, below its middle.
        List<WebElement> entries = driver.findElements(By.cssSelector("[data-ranked] [data-chip]"));
        WebElement last = entries.get(entries.size() - 1);
        new Actions(driver).moveToElement(last, 0, last.getSize().height / 2 - 3).pause(Duration.ofMillis(200))
                .release().perform();
        wait.until(d -> d.findElements(By.cssSelector("[data-ranked] [data-chip]")).size() == 4);
        assertEquals("Ready to submit.", missing());
        Browser.screenshot(driver, "22-ranking-complete");

        // Reload mid-task: the draft comes back.
        String taskId = driver.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id");
        driver.navigate().refresh();
        try {
            driver.switchTo().alert().accept();
        } catch (NoAlertPresentException e) {
            // Chromium asked nothing: fine either way
        }
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-ranked]")));
        assertEquals(taskId, driver.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id"),
                "the reload shows the same leased task");
        assertEquals(4, driver.findElements(By.cssSelector("[data-ranked] [data-chip]")).size());
        assertEquals("Ready to submit.", missing());
        assertTrue(driver.findElement(By.cssSelector("[data-save-state]")).getText().contains("restored"));

        // Submit by keyboard, as the button's hint says.
        driver.findElement(By.tagName("body")).sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        wait.until(d -> !taskId.equals(d.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id")));
        Browser.screenshot(driver, "23-next-task");

        Map<String, Object> stored = storedRanking(Long.parseLong(taskId));
        assertEquals(3, ((List<?>) stored.get("tiers")).size(), "three tiers: one of them a tie");
        assertEquals(2, ((List<?>) ((List<?>) stored.get("tiers")).get(1)).size());
    }

    @Transactional
    Map<String, Object> storedRanking(long taskId) {
        var ranking = dev.ranklab.rankings.Ranking.findByTask(taskId);
        return Map.of("tiers", ranking.tiers, "ratings", ranking.ratings);
    }

    @Test
    void contradictoryRatingsAskForConfirmationAndSkipsNeedAReason() {
        long campaign = rankingCampaign();
        login(newAnnotator());
        go("/annotate/" + campaign);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-ranked]")));
        for (int i = 1; i <= 4; i++) {
            press(String.valueOf(i));
            press(Keys.ENTER);
        }
        for (int i = 1; i <= 4; i++) {
            rate(i, i + 2);
        }
        driver.findElement(By.cssSelector("[data-submit]")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
        assertTrue(dialog.getText().contains("ranked above"), dialog.getText());
        Browser.screenshot(driver, "24-contradiction");
        dialog.findElement(By.cssSelector("[data-close]")).click();

        // The submit bar is sticky at the bottom of the window: bring the button to the middle first.
        WebElement unrankable = driver.findElement(By.cssSelector("[data-skip='UNRANKABLE']"));
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", unrankable);
        unrankable.click();
        WebElement skip = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("skip-dialog")));
        // "Cannot rank" without a reason: said under the reason field, nothing sent.
        skip.findElement(By.cssSelector("[data-skip-confirm]")).click();
        WebElement error = skip.findElement(By.id("skip-error"));
        assertTrue(error.isDisplayed() && error.getText().contains("Say what is wrong"), error.getText());
        assertEquals("true", skip.findElement(By.id("skip-reason")).getAttribute("aria-invalid"));
        assertTrue(error.getLocation().getY() > skip.findElement(By.id("skip-reason")).getLocation().getY(),
                "the message is where the reason goes");
        skip.findElement(By.id("skip-reason")).sendKeys("All four answers are in the wrong language");
        String taskId = driver.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id");
        skip.findElement(By.cssSelector("[data-skip-confirm]")).click();
        wait.until(d -> !taskId.equals(d.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id")));
        assertEquals("UNRANKABLE:All four answers are in the wrong language", taskStatus(Long.parseLong(taskId)));

        // A plain skip: the reason is optional here; a preset reason is one click, and Enter confirms.
        String next = driver.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id");
        press("s");
        skip = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("skip-dialog")));
        assertTrue(skip.findElement(By.cssSelector("[data-skip-optional]")).isDisplayed());
        WebElement preset = skip.findElement(By.cssSelector("[data-skip-preset='Outside my expertise']"));
        preset.click();
        assertEquals("true", preset.getAttribute("aria-pressed"));
        Browser.screenshot(driver, "27-skip-reasons");
        press(Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "All done"));
        assertEquals("SKIPPED:Outside my expertise", taskStatus(Long.parseLong(next)));
    }

    @Transactional
    String taskStatus(long taskId) {
        Object[] row = (Object[]) em.createNativeQuery("SELECT status, reason FROM tasks WHERE id = ?1")
                .setParameter(1, taskId).getSingleResult();
        return row[0] + ":" + row[1];
    }

    @Test
    void annotatorWritesADemonstrationWithPreview() {
        long campaign = Api.newCampaign(Map.of("name", "Demonstrations " + Api.unique("d"), "kind", "DEMONSTRATION",
                "demonstrationMinChars", 20));
        String longPrompt = "Explain recursion to a child." + "\\n\\nKeep it short and friendly.".repeat(30);
        Api.ndjson("{\"externalId\":\"d1\",\"prompt\":\"" + longPrompt + "\"}\n")
                .post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        login(newAnnotator());
        go("/annotate/" + campaign);
        WebElement text = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("demonstration")));

        // The editor has focus on load, sits clear of the sticky bar, and the Keys dialog lists the editor's keys.
        assertEquals("demonstration", driver.executeScript("return document.activeElement.id"));
        assertTrue((Boolean) driver.executeScript("const t = document.getElementById('demonstration')"
                + ".getBoundingClientRect(); const bar = document.querySelector('.submitbar').getBoundingClientRect();"
                + " return t.top >= 0 && t.bottom <= bar.top;"), "the bottom bar covers the editor");
        driver.findElement(By.cssSelector("[data-open='help-dialog']")).click();
        WebElement help = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("help-dialog")));
        assertTrue(help.getText().contains("switch between writing and the preview"), help.getText());
        assertFalse(help.getText().contains("select response") || help.getText().contains("ranking"), help.getText());
        help.findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.invisibilityOf(help));
        text.click();
        text.sendKeys("Short");
        assertTrue(missing().contains("at least 20"), missing());
        text.sendKeys(" words are not enough, so: **recursion** is when a thing is made of smaller copies of itself."
                + " <b>bold?</b>");
        driver.findElement(By.cssSelector("[data-tab='preview']")).click();
        WebElement preview = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("preview")));
        wait.until(d -> !preview.getText().contains("Rendering"));
        assertEquals(1, preview.findElements(By.tagName("strong")).size());
        assertTrue(preview.getText().contains("<b>bold?</b>"), "raw HTML stays text in the preview");
        Browser.screenshot(driver, "25-demonstration-preview");
        driver.findElement(By.cssSelector("[data-submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "All done"));
        Browser.screenshot(driver, "26-all-done");
    }
}
