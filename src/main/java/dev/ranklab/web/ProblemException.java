package dev.ranklab.web;

import java.time.Duration;

/** An error with an HTTP status and a detail meant for the caller; rendered as problem+json or as a page. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private Duration retryAfter;

    public ProblemException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Invalid request", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "Content too large", detail);
    }

    public static ProblemException tooManyRequests(String detail) {
        return new ProblemException(429, "Too many requests", detail);
    }

    /** Temporarily unable to serve (shutting down); worth trying again shortly. */
    public static ProblemException unavailable(String detail) {
        ProblemException e = new ProblemException(503, "Service unavailable", detail);
        e.retryAfter = Duration.ofSeconds(5);
        return e;
    }

    /** A refusal to be tried again after this long ({@code Retry-After}). */
    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        ProblemException e = tooManyRequests(detail);
        e.retryAfter = retryAfter;
        return e;
    }

    /** When the caller may try again, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
