package dev.ranklab.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.CustomNode;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;

/**
 * Markdown for guidelines and texts, rendered safely: raw HTML in the source is escaped, and link and image URLs
 * with unsafe schemes ({@code javascript:}) are dropped: such a link shows its text, unlinked. GitHub-flavoured syntax (tables, strikethrough, task lists,
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

    /** Schemes a link may carry; a URL without a scheme (relative, #anchor) is always fine. */
    private static final Set<String> SAFE_SCHEMES = Set.of("http", "https", "mailto");
    private static final Pattern SCHEME = Pattern.compile("^\\s*([a-zA-Z][a-zA-Z0-9+.-]*):");

    public static String toHtml(String source) {
        if (source == null) {
            return "";
        }
        Node document = PARSER.parse(source);
        document.accept(new UnsafeLinksUnlinked());
        return RENDERER.render(document);
    }

    /**
     * The words a reader sees, without the Markdown around them: for a one-line summary. Tables and code keep their
     * words, separated by spaces; whitespace is collapsed.
     */
    public static String toPlainText(String source) {
        if (source == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        PARSER.parse(source).accept(new Words(text));
        return text.toString().strip().replaceAll("\\s+", " ");
    }

    static boolean safeUrl(String url) {
        Matcher scheme = SCHEME.matcher(url == null ? "" : url);
        return !scheme.find() || SAFE_SCHEMES.contains(scheme.group(1).toLowerCase(Locale.ROOT));
    }

    /** Collects the literal text of every node; each block, cell and line break ends with a space. */
    private static final class Words extends AbstractVisitor {

        private final StringBuilder text;

        Words(StringBuilder text) {
            this.text = text;
        }

        private void words(String literal) {
            text.append(literal).append(' ');
        }

        @Override
        public void visit(Text node) {
            text.append(node.getLiteral());
        }

        @Override
        public void visit(Code node) {
            text.append(node.getLiteral());
        }

        @Override
        public void visit(FencedCodeBlock node) {
            words(node.getLiteral());
        }

        @Override
        public void visit(IndentedCodeBlock node) {
            words(node.getLiteral());
        }

        @Override
        public void visit(HtmlBlock node) {
            words(node.getLiteral());
        }

        @Override
        public void visit(HtmlInline node) {
            text.append(node.getLiteral());
        }

        @Override
        public void visit(SoftLineBreak node) {
            text.append(' ');
        }

        @Override
        public void visit(HardLineBreak node) {
            text.append(' ');
        }

        @Override
        public void visit(Paragraph node) {
            visitChildren(node);
            text.append(' ');
        }

        @Override
        public void visit(Heading node) {
            visitChildren(node);
            text.append(' ');
        }

        @Override
        public void visit(ListItem node) {
            visitChildren(node);
            text.append(' ');
        }

        @Override
        public void visit(CustomBlock node) {
            visitChildren(node);
            text.append(' ');
        }

        @Override
        public void visit(CustomNode node) {
            visitChildren(node);
            text.append(' ');
        }
    }

    /** Replaces a link to an unsafe URL by its text, so that the reader sees the words and nothing to click. */
    private static final class UnsafeLinksUnlinked extends AbstractVisitor {

        @Override
        public void visit(Link link) {
            if (safeUrl(link.getDestination())) {
                visitChildren(link);
                return;
            }
            Node child = link.getFirstChild();
            while (child != null) {
                Node next = child.getNext();
                link.insertBefore(child);
                child = next;
            }
            link.unlink();
        }
    }

    /** The one sanctioned unescaped output: HTML that {@link #toHtml} produced from escaped Markdown. */
    @TemplateExtension
    static RawString markdown(String source) {
        return new RawString(toHtml(source));
    }
}
