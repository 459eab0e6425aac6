package dev.ranklab.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.quarkus.qute.TemplateExtension;

/** {@code {value.urlEncode}} in templates: a query-string value, so that links keep what the user searched. */
public final class UrlEncoding {

    private UrlEncoding() {
    }

    @TemplateExtension
    static String urlEncode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
