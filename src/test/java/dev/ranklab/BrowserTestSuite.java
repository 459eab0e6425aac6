package dev.ranklab;

import org.junit.platform.suite.api.ExcludeTags;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * Every test that drives Chromium, in one JVM and one app boot. The build runs it beside {@link ServiceTestSuite}, in
 * a JVM of its own: together the two split the tests' time about evenly and keep both cores busy. A new test class
 * joins one of them by its name, never neither.
 */
@Suite
@SelectPackages("dev.ranklab")
@IncludeClassNamePatterns(".*BrowserTest")
@ExcludeTags("screenshots")
public class BrowserTestSuite {
}
