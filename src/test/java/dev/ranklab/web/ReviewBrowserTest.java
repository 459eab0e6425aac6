package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.Browser;
import dev.ranklab.support.Tasks;

/** An admin finds a disputed item in the review queue, rejects one ranking with a reason, and restores it. */
@QuarkusTest
class ReviewBrowserTest {

    @TestHTTPResource("/")
    URL base;

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
        ChromeDriver driver = Browser.start(1366, 1000);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
            String root = base.toString().replaceAll("/$", "");
            driver.get(root + "/login");
            driver.findElement(By.id("username")).sendKeys(Api.ADMIN);
            driver.findElement(By.id("password")).sendKeys(Api.ADMIN_PASSWORD);
            driver.findElement(By.cssSelector("form button[type=submit]")).click();
            wait.until(ExpectedConditions.urlContains("/campaigns"));
            driver.get(root + "/campaigns/" + campaign);
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
        } finally {
            driver.quit();
        }
    }
}
