package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;

/** An admin trains the reward model from the page, watches it finish, and scores a campaign from its data page. */
@QuarkusTest
class RewardModelBrowserTest extends BrowserTest {

    @Override
    protected int[] windowSize() {
        return new int[]{1366, 1000};
    }

    @Test
    void adminTrainsServesAndScoresFromThePages() {
        long campaign = RewardModelApiTest.rankedCampaign("browser", 24);
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        // The versions page reloads itself every few seconds while a training runs: elements go stale.
        WebDriverWait wait = Browser.patientWait(driver, Duration.ofSeconds(120));
        wait.until(ExpectedConditions.urlContains("/campaigns"));
        driver.findElement(By.linkText("Reward model")).click();
        wait.until(ExpectedConditions.titleContains("Reward model"));
        // Back from a cancelled "replace a wider model?" question: the choices as they were, focus on Train now.
        go("/reward-models?campaign=" + campaign + "&full=true");
        assertEquals(Long.toString(campaign), new Select(driver.findElement(By.id("campaignId")))
                .getFirstSelectedOption().getDomAttribute("value"));
        assertTrue(driver.findElement(By.name("fullRetrain")).isSelected());
        assertEquals("Train now", driver.switchTo().activeElement().getText());
        driver.findElement(By.name("fullRetrain")).click();
        driver.findElement(By.xpath("//button[normalize-space()='Train now']")).click();
        String flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")))
                .getText();
        assertTrue(flash.contains("is queued"), flash);
        String version = flash.replaceAll(".*Training v(\\d+).*", "$1");
        // The page reloads itself while a training is queued or running.
        By row = By.xpath("//tr[th[starts-with(normalize-space(), 'v" + version + "')]]");
        // Status labels are upper-cased by the style sheet, and Selenium reads text as shown.
        wait.until(d -> d.findElement(row).getText().toLowerCase().matches("(?s).*(ready|failed).*"));
        String text = wait.until(d -> d.findElement(row).getText().toLowerCase());
        assertTrue(text.contains("ready"), text);
        if (!text.contains("serving")) {
            wait.until(d -> {
                d.findElement(row).findElement(By.xpath(".//button[normalize-space()='Serve this']")).click();
                return true;
            });
            wait.until(d -> d.findElement(row).getText().toLowerCase().contains("serving"));
        }
        Browser.screenshot(driver, "40-reward-models");

        go("/campaigns/" + campaign + "/data");
        driver.findElement(By.xpath("//button[starts-with(normalize-space(), 'Score the responses')]")).click();
        wait.until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id("reward-model")).getText().contains("24 of 24");
        });
        String panel = driver.findElement(By.id("reward-model")).getText();
        assertTrue(panel.contains("Agrees with annotators"), panel);
        Browser.screenshot(driver, "41-data-page-reward-model");
    }
}
