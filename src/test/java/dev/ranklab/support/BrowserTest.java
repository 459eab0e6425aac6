package dev.ranklab.support;

import java.net.URL;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * A browser test: a headless Chromium with nothing left of the test before (no cookies, no stored drafts, no
 * emulated screen or colour scheme, one window of the class's size), a patient wait, and navigation and login
 * helpers. One Chromium serves the whole test run and is wiped between tests: starting one per test cost more than a
 * second each; a browser that cannot be wiped is replaced.
 */
public abstract class BrowserTest {

    @TestHTTPResource("/")
    protected URL base;

    protected ChromeDriver driver;
    protected WebDriverWait wait;

    /** The window's width and height; tests of wide layouts override it. */
    protected int[] windowSize() {
        return new int[]{1366, 900};
    }

    @BeforeEach
    void openBrowser() {
        int[] size = windowSize();
        driver = Browser.shared(base, size[0], size[1]);
        wait = Browser.patientWait(driver, Duration.ofSeconds(15));
    }

    protected void go(String path) {
        driver.get(base.toString().replaceAll("/$", "") + path);
    }

    /** Creates an annotator through the API and logs in as them in the browser. */
    protected void loginAsNewAnnotator() {
        String username = Api.unique("browser-ann");
        Api.asAdmin().contentType("application/json")
                .body(java.util.Map.of("username", username, "password", Api.PASSWORD, "role", "ANNOTATOR"))
                .post("/api/v1/users").then().statusCode(201);
        login(username, Api.PASSWORD);
    }

    protected void login(String username, String password) {
        go("/login");
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        wait.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
    }
}
