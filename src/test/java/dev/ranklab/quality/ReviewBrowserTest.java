package dev.ranklab.quality;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.BrowserTest;
import dev.ranklab.support.Tasks;

/** An admin finds a disputed item in the review queue, rejects one ranking with a reason, and restores it. */
@QuarkusTest
class ReviewBrowserTest extends BrowserTest {

    @Override
    protected int[] windowSize() {
        return new int[]{1366, 1000};
    }

    @Test
    void adminReviewsADisputedItem() {
        long campaign = Tasks.activeRankingCampaign(3, 2, 1);
        for (List<List<String>> ranking : List.of(List.of(List.of("r1"), List.of("r2"), List.of("r3")),
                List.of(List.of("r3"), List.of("r2"), List.of("r1")))) {
            String annotator = Api.newUser("ANNOTATOR");
            int taskId = Tasks.next(annotator, campaign).then().statusCode(200).extract().path("taskId");
            Tasks.submit(annotator, taskId, Map.of("ranking", ranking, "ratings", Map.of("r1", 4, "r2", 4, "r3",
                    4), "comment", "my honest view"), null).then().statusCode(201);
        }
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        go("/campaigns/" + campaign);
        driver.findElement(By.linkText("Review queue")).click();
        wait.until(ExpectedConditions.titleContains("Review"));
        Browser.screenshot(driver, "50-review-queue");
        driver.findElement(By.linkText("i0")).click();
        wait.until(ExpectedConditions.titleContains("Item i0"));
        driver.findElement(By.cssSelector("input[name=reason]")).sendKeys("ranked backwards");
        driver.findElement(By.xpath("//button[normalize-space()='Reject']")).click();
        String flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")))
                .getText();
        assertTrue(flash.startsWith("Rejected"), flash);
        assertTrue(driver.findElement(By.cssSelector("table")).getText().contains("ranked backwards"));
        Browser.screenshot(driver, "51-review-item");
        driver.findElement(By.xpath("//button[normalize-space()='Restore']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Restored"));
    }
}
