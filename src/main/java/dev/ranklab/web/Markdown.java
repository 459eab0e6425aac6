package dev.ranklab.web;

import java.util.List;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;

/**
 * Markdown for guidelines and texts, rendered safely: raw HTML in the source is escaped, and link and image URLs
 * with unsafe schemes ({@code javascript:}) are dropped. GitHub-flavoured syntax (tables, strikethrough, task lists,
 * autolinks) renders as models and researchers write it, so that annotators judge the text that was written.
 * Templates call {@code {text.markdown}}.
 */
public final class Markdown {

    private static final List<Extension> GFM = List.of(TablesExtension.create(), StrikethroughExtension.create(),
            TaskListItemsExtension.create(), AutolinkExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(GFM).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .extensions(GFM)
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
