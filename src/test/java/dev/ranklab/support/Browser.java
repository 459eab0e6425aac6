package dev.ranklab.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Real headless Chromium from Debian's packages, driven by Selenium. Tests are skipped where Chromium is not
 * installed, unless RANKLAB_REQUIRE_ALL is set ({@link Prerequisites}).
 */
public final class Browser {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Browser() {
    }

    private static ChromeDriver shared;

    /**
     * The run's Chromium, wiped of everything an earlier test left: other windows, a pending dialog, the page, every
     * cookie, the app's stored data (drafts in local storage), an emulated screen or colour scheme; its window set to
     * the size asked. Started on first use and again whenever wiping fails; quit when the JVM exits.
     */
    public static synchronized ChromeDriver shared(URL app, int width, int height) {
        if (shared != null) {
            try {
                wipe(shared, app, width, height);
                return shared;
            } catch (RuntimeException e) {
                quitQuietly(shared);
                shared = null;
            }
        }
        shared = start(width, height);
        ChromeDriver started = shared;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> quitQuietly(started), "chromium-quit"));
        return shared;
    }

    private static void wipe(ChromeDriver driver, URL app, int width, int height) {
        String first = driver.getWindowHandles().iterator().next();
        for (String handle : driver.getWindowHandles()) {
            if (!handle.equals(first)) {
                driver.switchTo().window(handle).close();
            }
        }
        driver.switchTo().window(first);
        // A page with unsaved work asks before it is left; the next test must not find that question open.
        driver.executeScript("window.onbeforeunload = null");
        try {
            driver.switchTo().alert().dismiss();
        } catch (NoAlertPresentException e) {
            // none open
        }
        driver.get("about:blank");
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        String origin = app.getProtocol() + "://" + app.getHost() + ":" + app.getPort();
        driver.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", origin, "storageTypes", "all"));
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "", "features", List.of()));
        driver.manage().window().setSize(new Dimension(width, height));
    }

    private static void quitQuietly(ChromeDriver driver) {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // already gone
        }
    }

    public static ChromeDriver start(int width, int height) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        Prerequisites.require(installed, CHROMIUM + " and " + CHROMEDRIVER);
        Path profile;
        try {
            profile = Files.createTempDirectory("ranklab-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /**
     * A wait that retries through the transient errors of a page being replaced under it: a stale element, and
     * Chromium's "node does not belong to the document" (a plain WebDriverException), as after a submit that loads
     * the next task or a page that reloads itself.
     */
    public static org.openqa.selenium.support.ui.WebDriverWait patientWait(ChromeDriver driver,
            java.time.Duration timeout) {
        org.openqa.selenium.support.ui.WebDriverWait wait = new org.openqa.selenium.support.ui.WebDriverWait(driver,
                timeout);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        wait.ignoring(org.openqa.selenium.WebDriverException.class);
        return wait;
    }

    public static void darkMode(ChromeDriver driver, boolean dark) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
    }

    /** Saves a full-window screenshot under target/screenshots, for people to look at. */
    public static void screenshot(ChromeDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
