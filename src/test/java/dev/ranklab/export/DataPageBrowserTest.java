package dev.ranklab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;
import dev.ranklab.support.Tasks;

/** The researcher's data page: statistics, filtered counts, a preview and a working download link. */
@QuarkusTest
class DataPageBrowserTest extends BrowserTest {

    @Override
    protected int[] windowSize() {
        return new int[]{1366, 1000};
    }

    @Test
    void researcherSeesStatisticsFiltersAndPreviewsAnExport() {
        long campaign = Tasks.activeRankingCampaign(3, 2, 2);
        for (int i = 0; i < 4; i++) {
            String annotator = Api.newUser("ANNOTATOR");
            int taskId = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
            Map<String, Object> body = i % 2 == 0
                    ? Map.of("ranking", List.of(List.of("r1"), List.of("r2", "r3")), "ratings",
                            Map.of("r1", 6, "r2", 3, "r3", 3), "flags", Map.of("r3", List.of("hallucination")))
                    : Map.of("ranking", List.of(List.of("r2"), List.of("r1"), List.of("r3")), "ratings",
                            Map.of("r1", 5, "r2", 7, "r3", 1));
            Tasks.submit(annotator, taskId, body, null).then().statusCode(201);
        }
        String researcher = Api.unique("researcher");
        Api.asAdmin().contentType("application/json")
                .body(Map.of("username", researcher, "password", Api.PASSWORD, "role", "RESEARCHER"))
                .post("/api/v1/users").then().statusCode(201);
        login(researcher, Api.PASSWORD);
        go("/campaigns/" + campaign);
        driver.findElement(By.linkText("Data and exports")).click();
        String counts = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".counts")))
                .getText();
        // two rankings with a tie (2 pairs each) and two strict ones (3 pairs each)
        assertTrue(counts.contains("4 rankings and 10 pairs"), counts);
        assertTrue(driver.findElement(By.cssSelector(".facts")).getText().contains("50.0%"));
        // The whole 1–7 scale, values nobody gave (2 and 4 here) at zero, as on the dashboard.
        assertEquals(7, driver.findElements(By.cssSelector("table[aria-label='Rating histogram'] tr")).size());
        Browser.screenshot(driver, "30-data-page");

        // Flag rates are drawn against 100%: 2 of 12 rated responses is a sixth of a bar, not a full one.
        String flagBar = driver
                .findElement(By.xpath("//table[@aria-label='Flag rates']//tr[th[starts-with(., "
                        + "'Hallucination')]]//progress"))
                .getAttribute("value");
        assertEquals(2.0 / 12, Double.parseDouble(flagBar), 0.001, flagBar);

        // The pickers come from the campaign's data: today's submissions, the four annotators, its flags.
        List<WebElement> days = new Select(driver.findElement(By.id("submittedAfter"))).getOptions();
        assertEquals(2, days.size(), "any day, and the one day with submissions");
        assertTrue(days.get(1).getText().endsWith("(4)"), days.get(1).getText());
        List<WebElement> annotators = driver.findElements(By.cssSelector("input[type=checkbox][name=annotators]"));
        assertEquals(4, annotators.size());
        annotators.get(0).click();
        driver.findElement(By.xpath("//button[normalize-space()='Update counts and preview']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".counts"),
                "1 rankings and"));
        driver.findElement(By.cssSelector("input[type=checkbox][name=annotators]:checked")).click();

        // Counts follow the consensus toggle: two items, each merged into one ranking.
        driver.findElement(By.cssSelector("input[type=checkbox][name=consensus]")).click();
        driver.findElement(By.xpath("//button[normalize-space()='Update counts and preview']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".counts"),
                "2 consensus rankings"));
        driver.findElement(By.cssSelector("input[type=checkbox][name=consensus]")).click();

        driver.findElement(By.cssSelector("input[type=checkbox][name=withFlags][value=hallucination]")).click();
        driver.findElement(By.xpath("//button[normalize-space()='Update counts and preview']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".counts"),
                "2 rankings and 4 pairs"));
        assertTrue(driver.findElement(By.cssSelector(".preview-line")).getText().contains("\"chosen\""));
        String href = driver.findElement(By.linkText("Download")).getAttribute("href");
        assertTrue(href.contains("withFlags=hallucination"), href);
        driver.executeScript("arguments[0].scrollIntoView()", driver.findElement(By.cssSelector(".counts")));
        Browser.screenshot(driver, "31-data-filtered");

        // A choice changed but not applied: the link and the background export wait, saying why, rather than
        // export the previous choices; a click on the link downloads nothing.
        driver.findElement(By.cssSelector("input[type=checkbox][name=withFlags][value=hallucination]")).click();
        WebElement download = driver.findElement(By.linkText("Download"));
        assertEquals("true", download.getDomAttribute("aria-disabled"));
        assertEquals("true", driver.findElement(By.xpath("//button[normalize-space()='Export in the background']"))
                .getDomAttribute("aria-disabled"));
        assertTrue(driver.findElement(By.id("export-choices-stale")).isDisplayed());
        // The background export, further down, says it beside its own button.
        assertTrue(driver.findElement(By.cssSelector("[data-stale-beside=background]")).isDisplayed());
        String before = driver.getCurrentUrl();
        download.click();
        assertEquals(before, driver.getCurrentUrl());
        driver.findElement(By.cssSelector("input[type=checkbox][name=withFlags][value=hallucination]")).click();
        driver.findElement(By.xpath("//button[normalize-space()='Update counts and preview']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".counts"),
                "2 rankings and 4 pairs"));
        assertEquals(null, driver.findElement(By.linkText("Download")).getDomAttribute("aria-disabled"));

        // The same choices as a background job: listed with its status, then its file once it is written.
        driver.findElement(By.xpath("//button[normalize-space()='Export in the background']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash, [role=status]"),
                "started"));
        WebDriverWait patient = new WebDriverWait(driver, Duration.ofSeconds(30));
        patient.until(d -> {
            d.navigate().refresh();
            return !d.findElements(By.cssSelector("#jobs .status-completed")).isEmpty();
        });
        String jobs = driver.findElement(By.cssSelector("#jobs tbody tr")).getText();
        assertTrue(jobs.contains("pairs · jsonl") && jobs.contains("withFlags hallucination")
                && jobs.contains(researcher), jobs);
        String file = driver.findElement(By.cssSelector("#jobs a[download]")).getAttribute("href");
        assertTrue(file.matches(".*/api/v1/exports/\\d+/file"), file);
        driver.executeScript("arguments[0].scrollIntoView()", driver.findElement(By.id("jobs")));
        Browser.screenshot(driver, "32-data-background-export");

        // A bound typed into a link that is not a time: the error next to its field, marked and focused, and
        // nothing counted.
        go("/campaigns/" + campaign + "/data?format=pairs&submittedAfter=yesterday");
        WebElement after = driver.findElement(By.id("submittedAfter"));
        assertEquals("true", after.getAttribute("aria-invalid"));
        assertEquals("submittedAfter-error", after.getAttribute("aria-describedby"));
        assertTrue(driver.findElement(By.id("submittedAfter-error")).getText()
                .contains("\"yesterday\" is not a time"));
        assertEquals("submittedAfter", driver.switchTo().activeElement().getAttribute("id"));
        assertTrue(driver.findElements(By.cssSelector(".counts")).isEmpty());
        // No download of the refused choices (the background job's file above is still listed).
        assertTrue(driver.findElements(By.cssSelector(".actions a[download]")).isEmpty());

        // Choices that do not apply to the format: each named next to its field with why, nothing counted.
        go("/campaigns/" + campaign + "/data?format=rankings&margin=ratings&ktoLabel=tiers");
        for (String id : new String[]{"margin", "ktoLabel"}) {
            assertEquals("true", driver.findElement(By.id(id)).getDomAttribute("aria-invalid"), id);
            assertEquals(id + "-error", driver.findElement(By.id(id)).getDomAttribute("aria-describedby"), id);
        }
        assertTrue(driver.findElement(By.id("margin-error")).getText().startsWith(
                "applies to pairs and trl only, not rankings: a margin is"),
                driver.findElement(By.id(
                        "margin-error")).getText());
        assertTrue(driver.findElement(By.id("ktoLabel-error")).getText().contains("applies to kto only"));
        assertTrue(driver.findElements(By.cssSelector(".counts")).isEmpty());
        go("/campaigns/" + campaign + "/data?format=pairs&hideSkips=true");
        assertTrue(driver.findElement(By.id("hideSkips-error")).getText().startsWith("applies to rankings only"));
        Browser.screenshot(driver, "33-data-choice-does-not-apply");

        // A Hugging Face dataset folder: counted and previewed, offered as a background export, not a download.
        go("/campaigns/" + campaign + "/data");
        new Select(driver.findElement(By.id("file"))).selectByValue("hf");
        assertTrue(new Select(driver.findElement(By.id("file"))).getFirstSelectedOption().getText()
                .contains("background export only"));
        driver.findElement(By.xpath("//button[normalize-space()='Update counts and preview']")).click();
        wait.until(ExpectedConditions.urlContains("file=hf"));
        assertTrue(driver.findElement(By.cssSelector(".counts")).getText().contains("4 rankings"));
        assertTrue(driver.findElements(By.cssSelector(".actions a[download]")).isEmpty(),
                "no direct download of a folder");
        assertTrue(driver.findElement(By.cssSelector("[data-no-download]")).getText().contains("Export in the "
                + "background"));
        assertEquals("hf", driver.findElement(By.cssSelector("form[action$='/data/jobs'] input[name=file]"))
                .getDomAttribute("value"));

        // Annotators appear under pseudonyms, said so where they appear, and that exports use them too.
        assertTrue(driver.findElement(By.id("pseudonyms-note")).getText().contains("as they do in every export"));
        assertTrue(driver.findElement(By.xpath("//legend[starts-with(normalize-space(), 'Only these annotators')]"))
                .getText().contains("pseudonyms"));
    }
}
