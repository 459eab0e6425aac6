package dev.ranklab;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.ExcludeTags;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** Every test that does not drive a browser (Surefire's naming: *Test, *Tests, Test*), in one JVM and one app boot. */
@Suite
@SelectPackages("dev.ranklab")
@IncludeClassNamePatterns("^(Test.*|.+[.$]Test.*|.*Tests?)$")
@ExcludeClassNamePatterns(".*BrowserTest")
@ExcludeTags("screenshots")
public class ServiceTestSuite {
}
