package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.rankings.Ranking;
import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;

/** The annotator's task page by keyboard only (with the Tab cycle checked), and ranking on each card. */
@QuarkusTest
class AnnotatorWorkspaceBrowserTest extends BrowserTest {

    /**
     * Marks every control the Tab key should reach, in document order, and answers their keys: one per radio group
     * (Tab stops once in a group), one per other visible, enabled, focusable element.
     */
    private static final String MARK_TAB_STOPS = """
            const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
            const keys = [];
            document.querySelectorAll(selector).forEach(el => {
              if (el.disabled || el.tabIndex < 0 || el.closest('dialog:not([open]), details:not([open]) > :not(summary)')
                  || el.closest('[hidden]') || !el.getClientRects().length) {
                return;
              }
              const key = el.type === 'radio' ? 'radio:' + el.name : 'el:' + keys.length;
              el.dataset.tabStop = key;
              if (!keys.includes(key)) {
                keys.push(key);
              }
            });
            return keys;""";

    private static final String FOCUSED_STOP = "const el = document.activeElement;"
            + " return el && el.dataset && el.dataset.tabStop ? el.dataset.tabStop : null;";

    @Inject
    EntityManager em;

    @Override
    protected int[] windowSize() {
        return new int[]{1400, 1000};
    }

    private void press(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    private String missing() {
        return driver.findElement(By.cssSelector("[data-missing]")).getText();
    }

    private String selectedCard() {
        List<WebElement> selected = driver.findElements(By.cssSelector("[data-response].selected"));
        return selected.isEmpty() ? null : selected.get(0).getAttribute("data-label");
    }

    private String focusedCard() {
        return (String) driver.executeScript("return document.activeElement.dataset.label || null");
    }

    private long campaign(int k) {
        return campaign(k, 2, true);
    }

    private long campaign(int k, int items, boolean ratingsRequired) {
        return campaign(k, items, ratingsRequired, Map.of(), null);
    }

    /** settings: more campaign settings; lastResponse: the text of the last response of each item, when not null. */
    private long campaign(int k, int items, boolean ratingsRequired, Map<String, Object> settings,
            String lastResponse) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", Api.unique("workspace"), "kind", "RANKING",
                "responsesPerItem", k, "guidelines", "Rank the most helpful reply first.", "ratingsRequired",
                ratingsRequired));
        body.putAll(settings);
        long campaign = Api.newCampaign(body);
        StringBuilder lines = new StringBuilder();
        for (int item = 1; item <= items; item++) {
            StringBuilder responses = new StringBuilder();
            for (int i = 1; i <= k; i++) {
                String text = i == k && lastResponse != null
                        ? lastResponse
                        : "Answer " + i + " says something different about lists, and then a little more.";
                responses.append(i > 1 ? "," : "").append("{\"text\":\"").append(text.replace("\n", "\\n"))
                        .append("\",\"model\":\"m").append(i).append("\"}");
            }
            lines.append("{\"externalId\":\"w").append(item).append("\",\"prompt\":\"How do I copy a list?\","
                    + "\"responses\":[").append(responses).append("]}\n");
        }
        Api.ndjson(lines.toString()).post("/api/v1/campaigns/" + campaign + "/items").then().statusCode(200);
        Api.setStatus(campaign, "ACTIVE");
        return campaign;
    }

    private void openTask(long campaign) {
        loginAsNewAnnotator();
        go("/annotate/" + campaign);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-ranked]")));
    }

    /** Presses Tab (or Shift+Tab) until focus is back where it started, and answers the stops it passed. */
    private List<String> tabCycle(boolean backwards, int limit) {
        String start = (String) driver.executeScript(FOCUSED_STOP);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            if (backwards) {
                new Actions(driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            } else {
                press(Keys.TAB);
            }
            String now = (String) driver.executeScript(FOCUSED_STOP);
            if (start.equals(now)) {
                return seen;
            }
            if (now != null) {
                seen.add(now);
            }
        }
        throw new AssertionError("focus never came back to " + start + " after " + limit + " presses: " + seen);
    }

    @Test
    void aWholeTaskByKeyboardWithTheTabCycleChecked() {
        long campaign = campaign(4);
        openTask(campaign);
        String taskId = driver.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id");

        press("2");
        assertEquals("2", selectedCard());
        assertEquals("2", focusedCard(), "a digit focuses the response it selects");

        // Every control is reached exactly once per cycle, forwards and backwards, and focus never snaps back.
        @SuppressWarnings("unchecked")
        List<String> stops = (List<String>) driver.executeScript(MARK_TAB_STOPS);
        String start = (String) driver.executeScript(FOCUSED_STOP);
        int at = stops.indexOf(start);
        List<String> expected = new ArrayList<>(stops.subList(at + 1, stops.size()));
        expected.addAll(stops.subList(0, at));
        assertEquals(expected, tabCycle(false, stops.size() + 5), "Tab walks every control once, in order");
        List<String> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, tabCycle(true, stops.size() + 5), "Shift+Tab walks them back");
        assertEquals("2", selectedCard(), "tabbing leaves the selection alone");
        assertTrue(stops.size() > 20, "the cycle covers the page: " + stops);

        // Escape clears the selection; Space on the focused card selects it again; Enter places it.
        press(Keys.ESCAPE);
        assertEquals(null, selectedCard());
        press(Keys.SPACE);
        assertEquals("2", selectedCard());
        press(Keys.ENTER);
        press("1");
        press(Keys.ENTER);
        press("3");
        press(Keys.ENTER);
        press("T");
        press("4");
        press(Keys.ENTER);
        press("K");
        assertEquals("#3", driver.findElement(By.cssSelector("[data-place-of].placed[data-place-of='"
                + driver.findElements(By.cssSelector("[data-response]")).get(3).getAttribute("data-response")
                + "']")).getText().replace(" (tie)", ""), "upper-case K moved response 4 up next to the tie");
        // Response 4 moved up out of the end: 2 > 1 > 4 > 3 (moving broke the tie of 3 with 1).
        assertEquals(List.of("2", "1", "4", "3"), rankedLabels());
        press("J");
        assertEquals(List.of("2", "1", "3", "4"), rankedLabels());
        press("3");
        press("t");
        assertEquals("#2 (tie)", placeOf(3));
        assertBadgesAgreeWithPlaceControls();

        // Arrows scroll while focus is on a card, and move only within the ordered list.
        driver.executeScript("window.scrollTo(0, 0)");
        assertTrue((Boolean) driver.executeScript("return document.scrollingElement.scrollHeight > innerHeight"));
        Number before = (Number) driver.executeScript("return window.scrollY");
        press(Keys.ARROW_DOWN);
        assertEquals(List.of("2", "1", "3", "4"), rankedLabels(), "ArrowDown on a card does not reorder");
        wait.until(d -> ((Number) driver.executeScript("return window.scrollY")).doubleValue() != before
                .doubleValue());

        // Flags: F then a number, counted in the Flags summary and named on the card and its chip.
        press("4");
        press("f");
        press("2");
        assertEquals("(1)", driver.findElements(By.cssSelector("[data-flag-count]")).get(3).getText());
        assertTrue(
                driver.findElements(By.cssSelector("[data-flags-shown]")).get(3).getText().contains("Hallucination"));
        assertTrue(driver.findElement(By.cssSelector("[data-ranked] [data-chip]:last-child")).getText()
                .contains("Hallucination"));

        // Ratings by Shift+digit.
        int[] ratings = {5, 7, 5, 1};
        for (int i = 1; i <= 4; i++) {
            press(String.valueOf(i));
            new Actions(driver).keyDown(Keys.SHIFT).sendKeys(String.valueOf(ratings[i - 1])).keyUp(Keys.SHIFT)
                    .perform();
        }
        assertEquals("Ready to submit.", missing());

        // The Keys dialog lists the ranking keys and no editor keys.
        press("?");
        WebElement help = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("help-dialog")));
        assertTrue(help.getText().contains("select response"), help.getText());
        assertFalse(help.getText().contains("editor"), help.getText());
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOf(help));
        Browser.screenshot(driver, "30-k4-keyboard");

        new Actions(driver).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
        wait.until(d -> !taskId.equals(d.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id")));
        Map<String, Object> stored = stored(Long.parseLong(taskId));
        assertEquals(3, ((List<?>) stored.get("tiers")).size(), "2 > 1 = 3 > 4");
        assertTrue(stored.get("flags").toString().contains("hallucination"), stored.get("flags").toString());
    }

    private List<String> rankedLabels() {
        return driver.findElements(By.cssSelector("[data-ranked] [data-chip] .response-key")).stream()
                .map(WebElement::getText).toList();
    }

    /** Every card's badge names the place its Place control holds ("#2 (tie)" beside 2, "unranked" beside –). */
    private void assertBadgesAgreeWithPlaceControls() {
        for (WebElement card : driver.findElements(By.cssSelector("[data-response]"))) {
            String chosen = new Select(card.findElement(By.cssSelector("[data-place-select]")))
                    .getFirstSelectedOption().getAttribute("value");
            String badge = card.findElement(By.cssSelector("[data-place-of]")).getText();
            assertEquals(chosen.isEmpty() ? "unranked" : "#" + chosen, badge.replace(" (tie)", ""),
                    "card " + card.getAttribute("data-label"));
        }
    }

    private String placeOf(int label) {
        return driver.findElements(By.cssSelector("[data-place-of]")).get(label - 1).getText();
    }

    @Transactional
    Map<String, Object> stored(long taskId) {
        Ranking ranking = Ranking.findByTask(taskId);
        return Map.of("tiers", ranking.tiers, "flags", String.valueOf(ranking.flags));
    }

    /** A Markdown table of 16 columns whose headers are single words. */
    private static final String WIDE_TABLE;

    static {
        StringBuilder head = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        StringBuilder row = new StringBuilder("|");
        for (int i = 1; i <= 16; i++) {
            head.append(" Heading").append(i).append(" |");
            rule.append("---|");
            row.append(" value ").append(i).append(" |");
        }
        WIDE_TABLE = head + "\n" + rule + "\n" + row + "\n";
    }

    /**
     * Every header cell of every visible table holds its word on one line, and the table scrolls sideways inside its
     * own box rather than widening the page.
     */
    private void assertWideTablesScrollWithWordsWhole(String where) {
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) driver.executeScript("""
                const problems = [];
                document.querySelectorAll('.prose table').forEach(table => {
                  if (!table.getClientRects().length) { return; }
                  if (table.scrollWidth <= table.clientWidth) { problems.push('a table does not scroll'); }
                  table.querySelectorAll('th').forEach(th => {
                    const range = document.createRange();
                    range.selectNodeContents(th);
                    const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
                    if (lines.size !== 1) { problems.push(th.textContent + ' on ' + lines.size + ' lines'); }
                  });
                });
                if (document.scrollingElement.scrollWidth > innerWidth) { problems.push('the page scrolls sideways'); }
                return problems;""");
        assertEquals(List.of(), problems, where);
    }

    @Test
    void eachCardHasItsOwnPlaceControlAndAllFourSitInOneRow() {
        List<Map<String, String>> flags = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            flags.add(Map.of("code", "f" + i, "label", "Flag " + i));
        }
        long campaign = campaign(4, 1, true, Map.of("flags", flags, "guidelines", "Columns:\n\n" + WIDE_TABLE),
                "A wide table:\n\n" + WIDE_TABLE);
        openTask(campaign);
        List<WebElement> cards = driver.findElements(By.cssSelector("[data-response]"));
        int top = cards.get(0).getRect().getY();
        for (WebElement card : cards) {
            assertEquals(top, card.getRect().getY(), "all four responses in one row at 1400 px");
            WebElement select = card.findElement(By.cssSelector("[data-place-select]"));
            assertTrue(select.getRect().getY() + select.getRect().getHeight() < 1000, "the place control is in view");
        }
        // Places by the cards' own controls, a tie by equal places.
        new Select(cards.get(2).findElement(By.cssSelector("select"))).selectByValue("1");
        new Select(cards.get(0).findElement(By.cssSelector("select"))).selectByValue("2");
        new Select(cards.get(3).findElement(By.cssSelector("select"))).selectByValue("2");
        new Select(cards.get(1).findElement(By.cssSelector("select"))).selectByValue("4");
        assertEquals(List.of("3", "1", "4", "2"), rankedLabels());
        assertEquals("#2 (tie)", placeOf(4));
        assertEquals("#4", placeOf(2), "after a tie the badge says the place the card's control holds");
        assertBadgesAgreeWithPlaceControls();
        String chip = driver.findElement(By.cssSelector("[data-ranked] [data-chip]")).getText();
        String words = String.join(" ", List.of(cards.get(2).findElement(By.cssSelector(".response-text")).getText()
                .split("\\s+")).subList(0, 4));
        assertTrue(chip.contains(words), "the ordered summary shows first words of response 3: " + chip);
        assertTrue(missing().contains("Rate responses"), missing());
        Browser.screenshot(driver, "31-k4-places");

        // Taking a response out of the ranking closes the gap: places 1 = 1 > 2 remain, never 2 = 2 > 4.
        driver.executeScript("document.activeElement.blur()");
        press("3");
        press(Keys.BACK_SPACE);
        assertEquals(List.of("1", "4", "2"), rankedLabels());
        assertEquals("#1 (tie)", placeOf(1), "the places close up after a removal");
        assertEquals("#2", placeOf(2));
        assertEquals("unranked", placeOf(3));
        assertBadgesAgreeWithPlaceControls();

        // A flag's badge is its keys: F then 1-9, F then 0 for flag 10, no badge beyond.
        List<WebElement> hints = cards.get(0).findElements(By.cssSelector(".flag-list label"));
        assertEquals("F 9", hints.get(8).findElement(By.cssSelector("kbd")).getAttribute("textContent"));
        assertEquals("F 0", hints.get(9).findElement(By.cssSelector("kbd")).getAttribute("textContent"));
        assertTrue(hints.get(10).findElements(By.cssSelector("kbd")).isEmpty(), "flag 11 has no keys");
        press("1");
        press("f");
        press("0");
        assertEquals(List.of("f10"), cards.get(0).findElements(By.cssSelector("[data-flag-of]:checked")).stream()
                .map(box -> box.getAttribute("value")).toList(), "F then 0 ticks flag 10");

        // A wide table keeps its words whole and scrolls in its own box: in the response and in the guidelines.
        assertWideTablesScrollWithWordsWhole("the task at 1400 px");
        press("g");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("guidelines-dialog")));
        assertWideTablesScrollWithWordsWhole("the guidelines at 1400 px");
        press(Keys.ESCAPE);
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        assertWideTablesScrollWithWordsWhole("the task on a phone");
        driver.executeScript("document.activeElement.blur(); const table = document.querySelector('.prose table');"
                + " window.scrollTo({top: table.getBoundingClientRect().top + window.scrollY - 250,"
                + " behavior: 'instant'});");
        Browser.screenshot(driver, "32-wide-table-phone");
    }

    private String taskId() {
        return driver.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id");
    }

    /** Waits for the next task's page (or the page saying nothing is left). */
    private void nextTaskAfter(String taskId) {
        wait.until(d -> !taskId.equals(driver.executeScript("const t = document.querySelector('[data-task]');"
                + " return t ? t.dataset.taskId : 'none'")));
    }

    /**
     * Counts the key presses this page receives (a chord such as Ctrl+Enter or Shift+7 is one press), kept in
     * session storage so that the count is still there once the next task has opened.
     */
    private static final String COUNT_KEYS = "sessionStorage.setItem('keyPresses', '0');"
            + " document.addEventListener('keydown', e => { if (!['Shift', 'Control', 'Alt', 'Meta'].includes(e.key))"
            + " { sessionStorage.setItem('keyPresses', String(Number(sessionStorage.getItem('keyPresses')) + 1)); }"
            + " }, true);";

    private long keyPresses() {
        return Long.parseLong((String) driver.executeScript("return sessionStorage.getItem('keyPresses')"));
    }

    @Test
    void pairwiseWithOptionalRatingsIsOneKeyOrOneClickAndKeysPerTaskAreCounted() {
        long campaign = campaign(2, 4, false);
        openTask(campaign);
        String first = taskId();
        List<String> shown = driver.findElements(By.cssSelector("[data-response]")).stream()
                .map(card -> card.getAttribute("data-response")).toList();
        assertTrue(missing().contains("Pick the better response") && !missing().contains("Rate"), missing());
        assertTrue(driver.findElement(By.cssSelector(".rating legend")).getText().contains("optional"));

        // The Keys dialog is the pairwise one.
        press("?");
        WebElement help = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("help-dialog")));
        assertTrue(help.getText().contains("response 1 is better"), help.getText());
        assertFalse(help.getText().contains("place the selected response"), help.getText());
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOf(help));
        Browser.screenshot(driver, "36-k2-pairwise");
        driver.executeScript(COUNT_KEYS);

        // One key: B, and the next task opens with response 2 ranked above response 1.
        press("B");
        nextTaskAfter(first);
        assertEquals(List.of(List.of(shown.get(1)), List.of(shown.get(0))), stored(Long.parseLong(first)).get("tiers"));

        // "=" is a tie: one tier of both.
        driver.executeScript(COUNT_KEYS);
        String second = taskId();
        press("=");
        nextTaskAfter(second);
        assertEquals(1, keyPresses(), "K = 2 with optional ratings takes one key");
        assertEquals(1, ((List<?>) stored(Long.parseLong(second)).get("tiers")).size(), "a tie is one tier");
        System.out.println("RESULT keys-per-task K=2 ratings-optional: " + keyPresses());

        // One click: "Both unusable" stores the task as unrankable, with its reason, and moves on.
        String third = taskId();
        driver.findElement(By.cssSelector("[data-pick='UNUSABLE']")).click();
        nextTaskAfter(third);
        assertEquals("UNRANKABLE:Both responses are unusable", outcome(Long.parseLong(third)));

        // The same pair with ratings required: per response a digit, Enter, Shift+digit, then Ctrl+Enter.
        assertEquals(7, keysForAStrictRanking(campaign(2, 1, true), 2));
        assertEquals(13, keysForAStrictRanking(campaign(4, 1, true), 4));
    }

    /** Ranks and rates a whole task by keyboard in the fewest presses, and answers how many the page received. */
    private long keysForAStrictRanking(long campaign, int k) {
        go("/annotate/" + campaign);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-ranked]")));
        assertTrue(driver.findElements(By.cssSelector("[data-pick]")).isEmpty(), "no picks when ratings count");
        driver.executeScript(COUNT_KEYS);
        String task = taskId();
        for (int i = 1; i <= k; i++) {
            press(String.valueOf(i));
            press(Keys.ENTER);
            new Actions(driver).keyDown(Keys.SHIFT).sendKeys(String.valueOf(8 - i)).keyUp(Keys.SHIFT).perform();
        }
        assertEquals("Ready to submit.", missing());
        new Actions(driver).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
        nextTaskAfter(task);
        long presses = keyPresses();
        System.out.println("RESULT keys-per-task K=" + k + " ratings-required: " + presses);
        return presses;
    }

    @Transactional
    String outcome(long taskId) {
        Object[] row = (Object[]) em.createNativeQuery("SELECT status, reason FROM tasks WHERE id = ?1")
                .setParameter(1, taskId).getSingleResult();
        return row[0] + ":" + row[1];
    }

    /** Moves the page's idea of the lease's end, as the passing of time would, without waiting for it. */
    private void showExpiryIn(int seconds) {
        driver.executeScript("const el = document.querySelector('[data-lease-expires]');"
                + " const at = new Date(Date.now() + arguments[0] * 1000); el.dataset.leaseExpires = at.toISOString();"
                + " el.textContent = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });", seconds);
    }

    private String shownExpiry() {
        return driver.findElement(By.cssSelector("[data-lease-expires]")).getAttribute("data-lease-expires");
    }

    @Transactional
    void expireOnServer(long taskId) {
        em.createNativeQuery("UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE id = ?1")
                .setParameter(1, taskId).executeUpdate();
    }

    @Transactional
    boolean leasedForAtLeastMinutes(long taskId, int minutes) {
        return (Boolean) em.createNativeQuery("SELECT lease_expires_at > now() + make_interval(mins => ?2) FROM tasks"
                + " WHERE id = ?1").setParameter(1, taskId).setParameter(2, minutes).getSingleResult();
    }

    @Test
    void theLeaseCountsDownExtendsWhileActiveWarnsWhenIdleAndCanBeTakenAgain() {
        // A lease of one minute: no warning while it is fresh, one once half of it passed idle.
        openTask(campaign(2, 1, true, Map.of("leaseMinutes", 1), null));
        wait.until(d -> d.findElement(By.cssSelector("[data-lease-left]")).getText().contains("s left"));
        assertFalse(driver.findElement(By.cssSelector("[data-lease-warning]")).isDisplayed(),
                "a task just opened is not idle");
        showExpiryIn(25);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-lease-warning]")));
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        int strip = driver.findElement(By.cssSelector("[data-lease-warning]")).getRect().getHeight();
        assertTrue(strip < 844 / 6, "on a phone the warning is a strip, not a third of the screen: " + strip + " px");
        Browser.screenshot(driver, "34-lease-warning-phone");
        Browser.darkMode(driver, true);
        Browser.screenshot(driver, "34-lease-warning-phone-dark");
        Browser.darkMode(driver, false);
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));

        long campaign = campaign(2);
        go("/annotate/" + campaign);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-ranked]")));
        long taskId = Long.parseLong(driver.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id"));
        WebElement time = driver.findElement(By.cssSelector("[data-lease-expires]"));
        assertTrue(time.getAttribute("title").endsWith("UTC"), "UTC on hover: " + time.getAttribute("title"));
        assertFalse(time.getText().contains("UTC"), "the time itself is local: " + time.getText());
        wait.until(d -> d.findElement(By.cssSelector("[data-lease-left]")).getText().contains("min left"));

        // Idle with under two minutes left: a warning, and the lease is left alone.
        showExpiryIn(100);
        WebElement warning = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-lease-warning]")));
        assertTrue(warning.getText().contains("goes back to the queue at"), warning.getText());
        String fake = shownExpiry();

        // Working in the page extends the lease: the server's expiry moves and the page shows the new one.
        press(Keys.ARROW_DOWN);
        wait.until(ExpectedConditions.invisibilityOf(warning));
        wait.until(d -> !fake.equals(shownExpiry()));
        assertTrue(leasedForAtLeastMinutes(taskId, 20), "the lease was extended on the server");

        // Expired: plain words, Submit held back, one button to take the task again; the shown expiry updates.
        expireOnServer(taskId);
        showExpiryIn(-1);
        WebElement expired = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-lease-expired]")));
        assertTrue(expired.getText().contains("was given back to the queue at"), expired.getText());
        assertTrue(expired.getText().contains("Your work is still here"), expired.getText());
        assertTrue(missing().contains("Take the task again"), missing());
        assertEquals("", driver.findElement(By.cssSelector("[data-save-state]")).getText(),
                "no earlier 'yours until' message beside the expiry");
        driver.executeScript("window.scrollTo(0, 0)");
        Browser.screenshot(driver, "35-lease-expired");
        new Actions(driver).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
        assertTrue(text("[data-error]").contains("Take the task again first"), text("[data-error]"));
        assertEquals("Take the task again", driver.switchTo().activeElement().getText(),
                "focus goes to the button that takes the task again");
        String before = shownExpiry();
        expired.findElement(By.cssSelector("[data-lease-retake]")).click();
        wait.until(ExpectedConditions.invisibilityOf(expired));
        wait.until(d -> !before.equals(shownExpiry()));
        assertTrue(leasedForAtLeastMinutes(taskId, 20), "the task was leased again");
        assertFalse(missing().contains("Take the task again"), missing());
        assertFalse(driver.findElement(By.cssSelector("[data-lease-warning]")).isDisplayed(),
                "no idle warning right after taking the task again");
    }

    private void placeAndRate(List<WebElement> cards, int[] places) {
        for (int i = 0; i < cards.size(); i++) {
            new Select(cards.get(i).findElement(By.cssSelector("[data-place-select]")))
                    .selectByValue(Integer.toString(places[i]));
            driver.executeScript("arguments[0].click()", cards.get(i).findElement(By.cssSelector(
                    "input[data-rating-of][value='" + (5 - places[i]) + "']")));
        }
    }

    private String text(String selector) {
        return driver.findElement(By.cssSelector(selector)).getText();
    }

    @Test
    void aSubmittedTaskIsReopenedRevisedAndExportedAsItsLatestRevision() throws Exception {
        long campaign = campaign(4);
        openTask(campaign);
        long taskId = Long.parseLong(driver.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id"));
        List<WebElement> cards = driver.findElements(By.cssSelector("[data-response]"));
        List<String> shown = cards.stream().map(card -> card.getAttribute("data-response")).toList();
        placeAndRate(cards, new int[]{1, 2, 3, 4});
        driver.findElement(By.cssSelector("[data-submit]")).click();
        wait.until(d -> !d.findElement(By.cssSelector("[data-task]")).getAttribute("data-task-id")
                .equals(Long.toString(taskId)));

        // Previous, from the next task, opens the submitted one read-only, filled in, with Revise.
        assertTrue(driver.findElement(By.partialLinkText("1 done")).getAttribute("href")
                .endsWith("/annotate/" + campaign + "/done"), "the task bar leads to the Done list");
        driver.findElement(By.linkText("Previous")).click();
        wait.until(ExpectedConditions.urlContains("/annotate/tasks/" + taskId));
        assertEquals("1 > 2 > 3 > 4", text("[data-ranking-text]"));
        assertEquals("place 1", text("[data-place-shown='" + shown.get(0) + "']"));
        assertEquals("Rated 4 of 7", text("[data-rating-shown='" + shown.get(0) + "']"));
        assertTrue(driver.findElements(By.cssSelector("select, input[type=radio], textarea")).isEmpty(),
                "nothing to change before Revise");

        // Revise reuses the task page's controls, filled from the submission.
        driver.findElement(By.cssSelector("[data-revise-link]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-revising-banner]")));
        cards = driver.findElements(By.cssSelector("[data-response]"));
        assertEquals("1", new Select(cards.get(0).findElement(By.cssSelector("[data-place-select]")))
                .getFirstSelectedOption().getAttribute("value"));
        assertTrue(cards.get(3).findElement(By.cssSelector("input[value='1']")).isSelected());
        assertTrue(driver.findElements(By.cssSelector("[data-lease]")).isEmpty(), "no lease on finished work");
        assertFalse(driver.findElement(By.cssSelector("[data-skip='SKIPPED']")).isDisplayed());
        placeAndRate(cards, new int[]{4, 2, 3, 1});
        WebElement save = driver.findElement(By.cssSelector("[data-submit]"));
        assertTrue(save.getText().startsWith("Save revision 2"), save.getText());
        wait.until(ExpectedConditions.elementToBeClickable(save)).click();
        try {
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-revised]")));
        } catch (org.openqa.selenium.TimeoutException e) {
            Browser.screenshot(driver, "revise-failed");
            throw new AssertionError("no revision saved at " + driver.getCurrentUrl() + ": "
                    + driver.findElement(By.cssSelector("main")).getText(), e);
        }
        assertEquals("4 > 2 > 3 > 1", text("[data-ranking-text]"));
        Browser.screenshot(driver, "40-submitted");

        // The other task skipped, from the page the Done list's Continue opens.
        go("/annotate/" + campaign);
        driver.findElement(By.cssSelector("[data-skip='SKIPPED']")).click();
        driver.findElement(By.id("skip-reason")).sendKeys("The prompt is unclear");
        driver.findElement(By.cssSelector("[data-skip-confirm]")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-task]")));

        // The Done list: newest first, the prompt's first words, the ranking as the annotator saw it, the revision.
        go("/annotate/" + campaign + "/done");
        List<WebElement> rows = driver.findElements(By.cssSelector(".done-row"));
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).getText().contains("skipped") && rows.get(0).getText().contains("unclear"),
                rows.get(0).getText());
        assertTrue(rows.get(1).getText().contains("How do I copy a list?"), rows.get(1).getText());
        assertTrue(rows.get(1).getText().contains("4 > 2 > 3 > 1"), rows.get(1).getText());
        assertTrue(rows.get(1).getText().contains("revision 2"), rows.get(1).getText());
        Browser.screenshot(driver, "36-done-list");
        Browser.darkMode(driver, true);
        Browser.screenshot(driver, "37-done-list-dark");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        Browser.screenshot(driver, "39-done-list-phone-dark");
        Browser.darkMode(driver, false);
        Browser.screenshot(driver, "38-done-list-phone");

        // The pure part: a submission read back into a draft, ties kept as equal places.
        Object draft = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/static/annotate/revise.js').then(m => done(JSON.stringify(m.draftOf({revision: 2,"
                + " ranking: [['b'], ['a', 'c']], ratings: {a: 3}, flags: {c: ['x']}, comment: 'hm'}, '9', 'k'))),"
                + " e => done('threw ' + e))");
        assertEquals("{\"taskId\":\"9\",\"idempotencyKey\":\"k\",\"ratings\":{\"a\":3},\"flags\":{\"c\":[\"x\"]},"
                + "\"places\":{\"b\":1,\"a\":2,\"c\":2},\"comment\":\"hm\",\"demonstration\":\"\",\"activeMs\":0,"
                + "\"touched\":false,\"revisionOf\":2}", draft);

        // The rankings export carries the latest revision, and only it.
        String researcher = Api.newUser("RESEARCHER");
        String export = Api.as(researcher).queryParam("format", "rankings")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract().asString();
        com.fasterxml.jackson.databind.JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(export.lines().filter(l -> l.contains("\"taskId\" : " + taskId + ",")
                        || l.contains("\"taskId\":" + taskId + ",")).findFirst().orElseThrow());
        assertEquals(2, line.get("revision").asInt());
        assertEquals(List.of(List.of(shown.get(3)), List.of(shown.get(1)), List.of(shown.get(2)),
                List.of(shown.get(0))),
                new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
                        line.get("tiers"), List.class));
    }
}
