package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** GitHub-flavoured Markdown renders as written, and none of its syntax opens a way around the escaping. */
class MarkdownTest {

    private static Document render(String markdown) {
        return Jsoup.parseBodyFragment(Markdown.toHtml(markdown));
    }

    @Test
    void tablesStrikethroughTaskListsAndAutolinksRender() {
        Document html = render("""
                | Method | Copy? |
                |--------|:-----:|
                | `items[::-1]` | yes |
                | `reverse()` | **no** |

                ~~wrong~~ right

                - [x] done
                - [ ] open

                See https://example.org/docs and www.example.com.
                """);
        assertEquals(1, html.select("table").size());
        assertEquals(3, html.select("tr").size());
        assertEquals("center", html.select("th").get(1).attr("align"));
        assertEquals(1, html.select("td strong").size());
        assertEquals("wrong", html.select("del").text());
        assertEquals(2, html.select("li input[type=checkbox][disabled]").size());
        assertEquals(1, html.select("li input[checked]").size());
        assertEquals("https://example.org/docs", html.select("a").get(0).attr("href"));
        assertEquals("http://www.example.com", html.select("a").get(1).attr("href"));
    }

    @Test
    void rawHtmlAndUnsafeUrlsStayHarmlessInsideTheNewSyntax() {
        String payload = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        Document html = render("| a " + payload + " | [x](javascript:alert(3)) |\n|---|---|\n| " + payload
                + " | ~~" + payload + "~~ |\n\n- [ ] " + payload + "\n\n<javascript:alert(4)> "
                + "javascript:alert(5) www.example.com/<script>alert(6)</script>");
        assertTrue(html.select("script, img, [onerror]").isEmpty(), html.body().html());
        html.select("a").forEach(a -> assertFalse(a.attr("href").toLowerCase().contains("javascript"),
                a.outerHtml()));
        assertTrue(html.text().contains("<script>alert(1)</script>"), "raw HTML shows as text: " + html.text());
        assertEquals(1, html.select("table").size());
    }

    @Test
    void plainTextKeepsTheWordsOfEverySyntaxAndNothingElse() {
        assertEquals("Compare Python and Java in a table. a b x() y Title one two print(1) go",
                Markdown.toPlainText("Compare **Python** and _Java_ in a table.\n\n| a | b |\n|---|---|\n"
                        + "| `x()` | y |\n\n# Title\n\n- one\n- [ ] two\n\n```python\nprint(1)\n```\n\n[go](https://x.org)"));
        assertEquals("", Markdown.toPlainText(null));
    }

    @Test
    void aLinkWithAnUnsafeUrlShowsItsTextWithoutALink() {
        for (String url : new String[]{"javascript:alert(1)", "JavaScript:alert(1)", "vbscript:x",
                "data:text/html,x"}) {
            Document html = render("Do [click](" + url + ") now");
            assertTrue(html.select("a").isEmpty(), html.body().html());
            assertEquals("Do click now", html.text(), url);
        }
        assertEquals("https://example.org", render("[ok](https://example.org)").select("a").attr("href"));
        assertEquals("/annotate", render("[ok](/annotate)").select("a").attr("href"));
    }
}
