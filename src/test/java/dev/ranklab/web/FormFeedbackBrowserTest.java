package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;

/**
 * How the admin pages answer: every field error at once, next to its field, the first one focused and marked;
 * errors styled and announced as errors, successes as successes; risky actions ask first, saying what follows;
 * what can no longer change is shown disabled with the reason.
 */
@QuarkusTest
class FormFeedbackBrowserTest extends BrowserTest {

    private WebElement field(String id) {
        return driver.findElement(By.id(id));
    }

    private void type(String id, String text) {
        field(id).clear();
        field(id).sendKeys(text);
    }

    @Test
    void theCampaignFormShowsEveryErrorAtOnceAndFocusesTheFirst() {
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/campaigns/new");
        type("overlap", "two");
        type("leaseMinutes", "abc");
        type("responsesPerItem", "12");
        driver.findElement(By.cssSelector(".actions button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("leaseMinutes-error")));
        for (String id : new String[]{"name", "responsesPerItem", "overlap", "leaseMinutes"}) {
            WebElement input = field(id);
            assertEquals("true", input.getDomAttribute("aria-invalid"), id);
            assertEquals(id + "-error", input.getDomAttribute("aria-describedby"), id);
            assertTrue(field(id + "-error").isDisplayed(), id);
        }
        assertTrue(field("leaseMinutes-error").getText().contains("whole number"));
        assertEquals("abc", field("leaseMinutes").getDomProperty("value"), "what was typed comes back");
        assertEquals("name", driver.switchTo().activeElement().getDomAttribute("id"), "focus on the first bad field");
        Browser.screenshot(driver, "form-errors");
    }

    private void assertInvalid(String id) {
        assertEquals("true", field(id).getDomAttribute("aria-invalid"), id);
        assertEquals(id + "-error", field(id).getDomAttribute("aria-describedby"), id);
        assertTrue(field(id + "-error").isDisplayed(), id);
    }

    @Test
    void theNewUserFormShowsEveryErrorAtOnceAndFocusesTheFirst() {
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/admin/users");
        type("username", "x");
        type("password", "short");
        driver.findElement(By.xpath("//button[normalize-space()='Add user']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-error")));
        assertInvalid("username");
        assertInvalid("password");
        assertTrue(field("username-error").getText().contains("2 to 64 characters"));
        assertEquals("x", field("username").getDomProperty("value"), "what was typed comes back");
        assertEquals("username", driver.switchTo().activeElement().getDomAttribute("id"));
        String color = field("password-error").getCssValue("color");
        assertEquals(field("username-error").getCssValue("color"), color);
        assertTrue(driver.findElement(By.cssSelector(".field.invalid input#password")).isDisplayed());
    }

    @Test
    void theWebhookFormShowsBothErrorsAtOnceAndFocusesTheUrl() {
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/admin/webhooks");
        type("url", "ftp://hooks.example.org/x");
        driver.findElement(By.xpath("//button[normalize-space()='Add webhook']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("events-error")));
        assertInvalid("url");
        assertTrue(field("url-error").getText().contains("http"), field("url-error").getText());
        assertTrue(field("events-error").isDisplayed());
        assertEquals("ftp://hooks.example.org/x", field("url").getDomProperty("value"), "what was typed comes back");
        assertEquals("url", driver.switchTo().activeElement().getDomAttribute("id"));
    }

    /** The export builder's filters: a bound that is not a time, an annotator the campaign does not have. */
    @Test
    void theExportBuilderShowsEveryBadFilterNextToItsPicker() {
        long campaign = Api.newRankingCampaign(2);
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/campaigns/" + campaign + "/data?submittedAfter=yesterday&submittedBefore=2026-11-01T00:00:00Z"
                + "&annotators=annotator-nobody&withFlags=no_such_flag");
        for (String id : new String[]{"submittedAfter"}) {
            assertInvalid(id);
        }
        assertTrue(field("annotators-error").getText().contains("no annotator annotator-nobody"));
        assertTrue(field("withFlags-error").getText().contains("no flag no_such_flag"));
        assertEquals("submittedAfter", driver.switchTo().activeElement().getDomAttribute("id"));
        assertTrue(driver.findElements(By.cssSelector(".counts")).isEmpty(), "nothing counted");
        Browser.screenshot(driver, "export-filter-errors");
    }

    @Test
    void errorsLookLikeErrorsAndSuccessesLikeSuccesses() throws Exception {
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        String username = Api.unique("fb");
        Number id = Api.asAdmin().contentType("application/json")
                .body(Map.of("username", username, "password", Api.PASSWORD, "role", "ANNOTATOR"))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        go("/admin/users/" + id);
        type("password", "short");
        driver.findElement(By.xpath("//button[normalize-space()='Set password']")).click();
        // A refused field: its error next to it, the field marked and focused.
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-error")));
        assertInvalid("password");
        assertTrue(field("password-error").getText().contains("at least 10 characters"));
        assertEquals("password", driver.switchTo().activeElement().getDomAttribute("id"));
        assertTrue(driver.findElements(By.cssSelector(".flash-success")).isEmpty(), "nothing was done");
        type("password", "a-long-enough-password");
        driver.findElement(By.xpath("//button[normalize-space()='Set password']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "New password"));
        WebElement success = driver.findElement(By.cssSelector(".flash"));
        assertTrue(success.getDomAttribute("class").contains("flash-success"), success.getDomAttribute("class"));
        assertEquals("status", success.getDomAttribute("role"));

        // A refusal that is no field's: an error banner, announced as an alert (here: the webhook went meanwhile).
        Number hook = Api.asAdmin().contentType("application/json")
                .body(Map.of("url", "https://hooks.example.org/gone", "events", java.util.List.of("item.completed")))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        go("/admin/webhooks");
        WebElement test = field("webhook-" + hook).findElement(By.xpath(".//button[normalize-space()='Send a "
                + "test event']"));
        Api.asAdmin().delete("/api/v1/webhooks/" + hook).then().statusCode(204);
        test.click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
        assertTrue(error.getDomAttribute("class").contains("flash-error"), error.getDomAttribute("class"));
        assertEquals("alert", error.getDomAttribute("role"));
        assertTrue(error.getText().contains("no webhook with id " + hook), error.getText());

        // An import with rejected lines says so, as a warning.
        long campaign = Api.newRankingCampaign(2);
        go("/campaigns/" + campaign);
        Path file = Files.createTempFile("items", ".jsonl");
        Files.writeString(file,
                Api.rankingLine("w1", 2)
                        + "\n{\"prompt\":\"one response of two\",\"responses\":[{\"text\":\"only one\"}]}\n"
                        + Api.rankingLine("w2", 2) + "\n",
                StandardCharsets.UTF_8);
        field("file").sendKeys(file.toAbsolutePath().toString());
        driver.findElement(By.xpath("//button[normalize-space()='Import']")).click();
        wait.until(ExpectedConditions.urlContains("/imports/"));
        WebElement flash = driver.findElement(By.cssSelector(".flash"));
        assertEquals("Imported 2 items; 1 line rejected. See the rejected lines below.", flash.getText());
        assertTrue(flash.getDomAttribute("class").contains("flash-warning"));
    }

    private String statusText() {
        return driver.findElement(By.cssSelector("h1 .status")).getText().toLowerCase(java.util.Locale.ROOT);
    }

    private Alert confirmation() {
        return wait.until(ExpectedConditions.alertIsPresent());
    }

    @Test
    void riskyActionsAskFirstSayingWhatFollows() {
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        long empty = Api.newRankingCampaign(2);
        // Previewing a campaign without items is not an error page: its page says what to do.
        go("/campaigns/" + empty + "/preview");
        WebElement nothing = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
        assertTrue(nothing.getText().contains("Nothing to preview yet"), nothing.getText());
        assertTrue(nothing.getDomAttribute("class").contains("flash-warning"), nothing.getDomAttribute("class"));
        assertTrue(driver.getCurrentUrl().endsWith("/campaigns/" + empty + "#import"), driver.getCurrentUrl());
        go("/campaigns/" + empty);
        driver.findElement(By.xpath("//button[normalize-space()='Activate']")).click();
        Alert activate = confirmation();
        assertTrue(activate.getText().contains("no items yet"), activate.getText());
        activate.dismiss();
        assertTrue(driver.findElement(By.cssSelector("h1 .status")).getText().toLowerCase().contains("draft"));

        driver.findElement(By.xpath("//button[normalize-space()='Archive']")).click();
        Alert archive = confirmation();
        assertTrue(archive.getText().contains("final"), archive.getText());
        archive.dismiss();
        assertTrue(driver.findElement(By.cssSelector("h1 .status")).getText().toLowerCase().contains("draft"),
                "dismissed: nothing happened");
        driver.findElement(By.xpath("//button[normalize-space()='Archive']")).click();
        confirmation().accept();
        wait.until(d -> statusText().contains("archived"));

        String username = Api.unique("deact");
        Number user = Api.asAdmin().contentType("application/json")
                .body(Map.of("username", username, "password", Api.PASSWORD, "role", "ANNOTATOR"))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        go("/admin/users/" + user);
        driver.findElement(By.xpath("//button[normalize-space()='Deactivate']")).click();
        Alert deactivate = confirmation();
        assertTrue(deactivate.getText().contains("logged out at once"), deactivate.getText());
        deactivate.accept();
        wait.until(d -> statusText().contains("deactivated"));
    }

    @Test
    void whatCanNoLongerChangeIsDisabledWithTheReason() {
        long campaign = Api.newRankingCampaign(2);
        Api.ndjson(Api.rankingLine("l1", 2) + "\n").post("/api/v1/campaigns/" + campaign + "/items")
                .then().statusCode(200);
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/campaigns/" + campaign + "/edit");
        WebElement k = field("responsesPerItem");
        assertNotNull(k.getDomAttribute("disabled"));
        assertEquals("responsesPerItem-locked", k.getDomAttribute("aria-describedby"));
        assertTrue(field("responsesPerItem-locked").getText().contains("already has items"));
        // A refused edit shows the campaign as stored where the form sends nothing: its kind, its K, its name.
        String name = driver.findElement(By.cssSelector(".eyebrow a[href='/campaigns/" + campaign + "']")).getText();
        type("name", "Renamed but refused");
        type("overlap", "99");
        driver.findElement(By.cssSelector(".actions button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("overlap-error")));
        assertEquals("2", field("responsesPerItem").getDomProperty("value"));
        assertTrue(driver.findElement(By.cssSelector("input[name=kind][value=RANKING]")).isSelected());
        assertEquals(name, driver.findElement(By.cssSelector(".eyebrow a[href='/campaigns/" + campaign + "']"))
                .getText());
        type("name", name);
        type("overlap", "1");
        // Saving the rest still works, and K stays.
        type("leaseMinutes", "45");
        driver.findElement(By.cssSelector(".actions button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "saved"));
        String facts = driver.findElement(By.cssSelector(".facts")).getText();
        assertTrue(facts.contains("45 min") && facts.contains("Responses per item\n2"), facts);
    }
}
