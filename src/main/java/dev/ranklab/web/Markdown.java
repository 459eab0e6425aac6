package dev.ranklab.web;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;

/**
 * Markdown for guidelines and texts, rendered safely: raw HTML in the source is escaped, and link and image URLs
 * with unsafe schemes ({@code javascript:}) are dropped. Templates call {@code {text.markdown}}.
 */
public final class Markdown {

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .build();

    private Markdown() {
    }

    public static String toHtml(String source) {
        return source == null ? "" : RENDERER.render(PARSER.parse(source));
    }

    /** The one sanctioned unescaped output: HTML that {@link #toHtml} produced from escaped Markdown. */
    @TemplateExtension
    static RawString markdown(String source) {
        return new RawString(toHtml(source));
    }
}
