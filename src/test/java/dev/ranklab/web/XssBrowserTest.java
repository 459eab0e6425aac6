package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.NoAlertPresentException;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.Api;
import dev.ranklab.support.BrowserTest;

/** The pages {@link XssTest} parses, seeded with the same payloads, loaded in headless Chromium: no alert opens. */
@QuarkusTest
class XssBrowserTest extends BrowserTest {

    @Test
    void noAlertOpensInABrowser() throws IOException {
        XssTest.Seeded s = XssTest.seed();
        login(Api.ADMIN, Api.ADMIN_PASSWORD);
        for (String page : XssTest.adminPages(s)) {
            go(page);
            assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert(), page);
        }
    }
}
