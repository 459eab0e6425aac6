package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.support.BrowserTest;

/**
 * The task page's pure modules (ranking rules, what is missing, contradictions, the key table, drafts) checked in
 * Chromium as the page loads them: src/test/js/annotate-logic.test.js imports the served modules and answers its
 * failures.
 */
@QuarkusTest
class AnnotateLogicTest extends BrowserTest {

    @Test
    void pureModulesOfTheTaskPage() throws IOException {
        go("/login");
        String checks = Files.readString(Path.of("src/test/js/annotate-logic.test.js"));
        Object result = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "(async () => {" + checks + "})().then(done, e => done(['threw: ' + e]));");
        assertTrue(result instanceof List, String.valueOf(result));
        assertEquals(List.of(), result);
    }
}
