package dev.ranklab.support;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Form posts as a browser makes them: with the session cookie and the CSRF cookie and field. */
public final class Forms {

    public static final String CSRF_COOKIE = "ranklab-csrf";
    public static final String CSRF_FIELD = "csrf-token";
    public static final String SESSION_COOKIE = "ranklab_session";

    private Forms() {
    }

    /** A CSRF cookie and the matching form field, as the login page hands them out. */
    public record Csrf(String cookie, String field) {
    }

    private static final Pattern FIELD = Pattern.compile("name=\"" + CSRF_FIELD + "\" value=\"([^\"]+)\"");

    public static Csrf csrf() {
        Response page = given().get("/login");
        page.then().statusCode(200);
        Matcher field = FIELD.matcher(page.asString());
        if (!field.find()) {
            throw new AssertionError("the login page has no CSRF field");
        }
        return new Csrf(page.getCookie(CSRF_COOKIE), field.group(1));
    }

    /** Logs in through the login form and returns the session cookie's value. */
    public static String login(String username, String password) {
        Csrf csrf = csrf();
        return given().redirects().follow(false).cookie(CSRF_COOKIE, csrf.cookie()).contentType(ContentType.URLENC)
                .formParams(Map.of("username", username, "password", password, CSRF_FIELD, csrf.field(), "next", "/"))
                .post("/login")
                .then().statusCode(303).extract().cookie(SESSION_COOKIE);
    }

    /** Posts a form with a valid CSRF token as the holder of {@code session}; redirects are not followed. */
    public static Response post(String session, String path, Map<String, String> fields) {
        Csrf csrf = csrf();
        Map<String, String> all = new HashMap<>(fields);
        all.put(CSRF_FIELD, csrf.field());
        return given().redirects().follow(false).cookie(SESSION_COOKIE, session).cookie(CSRF_COOKIE, csrf.cookie())
                .contentType(ContentType.URLENC).formParams(all).post(path);
    }
}
