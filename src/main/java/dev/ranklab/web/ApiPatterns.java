package dev.ranklab.web;

/**
 * Regular expressions the API document publishes for request fields, next to the checks they describe, so that a
 * client (or a fuzzer) that follows the document is never refused. JSON Schema patterns search, so each is anchored.
 */
public final class ApiPatterns {

    /**
     * One line of text with something in it: at least one character that is not white space and no control
     * character (the server strips the ends and refuses control characters).
     */
    public static final String TEXT_LINE = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$";

    /** Text without control characters, possibly empty. */
    public static final String NO_CONTROL = "^[^\\x00-\\x1f\\x7f-\\x9f]*$";

    /** Something besides white space. */
    public static final String NOT_BLANK = "\\S";

    /**
     * An absolute http(s) URL with a host name that {@link java.net.URI} recognises (a top label starting with a
     * letter) and no query or fragment. The server checks the parsed URI itself, which also admits IP addresses;
     * a client following this pattern is never refused.
     */
    public static final String HTTP_URL = "^https?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\\.)*"
            + "[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$";

    private ApiPatterns() {
    }
}
