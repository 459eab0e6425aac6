package dev.ranklab.web;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;

/** Renders Markdown exactly as Ranklab's pages will show it, for live previews while writing. */
@Path("/api/v1/markdown")
@Tag(name = "Utilities")
@Authenticated
public class MarkdownApi {

    static final int MAX_CHARS = 200_000;

    /** Markdown source. */
    @Schema(name = "MarkdownSource")
    public record Source(@Schema(required = true, maxLength = MAX_CHARS) String text) {
    }

    /** The rendered HTML, with raw HTML in the source escaped and unsafe links dropped. */
    @Schema(name = "RenderedMarkdown")
    public record Rendered(String html) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Render Markdown safely, as the pages do")
    public Rendered render(Source source) {
        if (source == null || source.text() == null) {
            throw ProblemException.badRequest("text is required");
        }
        if (source.text().length() > MAX_CHARS) {
            throw ProblemException.tooLarge("text must be at most " + MAX_CHARS + " characters");
        }
        return new Rendered(Markdown.toHtml(source.text()));
    }
}
