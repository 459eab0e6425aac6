package dev.ranklab.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.PathPart;

import dev.ranklab.web.Problem;

/**
 * A finished job's file as an answer, whole or in part: a single {@code Range: bytes=…} is answered with 206 and its
 * {@code Content-Range}, a range past the end with 416, so that readers which fetch a Parquet file's footer first
 * (polars, pyarrow, DuckDB over HTTP) and interrupted downloads work. Several ranges at once, or a range whose
 * {@code If-Range} no longer matches the file, get the whole file, as HTTP allows.
 */
final class JobFileResponse {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private JobFileResponse() {
    }

    static Response of(ExportJob job, Path file, String range, String ifRange) {
        long length;
        try {
            length = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String etag = "\"" + job.sha256 + "\"";
        Response.ResponseBuilder answer;
        long[] span = range == null || (ifRange != null && !ifRange.strip().equals(etag))
                ? null
                : span(range.strip(), length);
        if (span == null) {
            answer = Response.ok(new PathPart(file, 0, length)).header("Content-Length", length);
        } else if (span.length == 0) {
            return Response.status(416).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(416, "Range not satisfiable", "the file of export job " + job.id + " has "
                            + length + " bytes; the range " + range + " lies outside it", null))
                    .header("Content-Range", "bytes */" + length)
                    .header("Accept-Ranges", "bytes")
                    .build();
        } else {
            long count = span[1] - span[0] + 1;
            answer = Response.status(206).entity(new PathPart(file, span[0], count))
                    .header("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + length)
                    .header("Content-Length", count);
        }
        String type = switch (job.file) {
            case "parquet" -> "application/vnd.apache.parquet";
            case "jsonl.gz" -> "application/gzip";
            case "hf.zip" -> "application/zip";
            default -> "application/x-ndjson";
        };
        return answer.type(type)
                .header("Accept-Ranges", "bytes")
                .header("ETag", etag)
                .header("Content-Disposition", "attachment; filename=\"" + job.fileName() + "\"")
                .header("X-Checksum-SHA256", job.sha256)
                .build();
    }

    /**
     * The first and last byte a single range asks for, an empty array when it lies outside the file, or null when
     * the header is not one range of bytes (then the whole file is the answer).
     */
    static long[] span(String range, long length) {
        Matcher matcher = RANGE.matcher(range);
        if (!matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
            return null;
        }
        try {
            if (matcher.group(1).isEmpty()) {
                // A suffix: the last N bytes.
                long suffix = Long.parseLong(matcher.group(2));
                return suffix == 0 || length == 0 ? new long[0] : new long[]{Math.max(0, length - suffix), length - 1};
            }
            long first = Long.parseLong(matcher.group(1));
            if (first >= length) {
                return new long[0];
            }
            long last = matcher.group(2).isEmpty() ? length - 1 : Long.parseLong(matcher.group(2));
            return last < first ? null : new long[]{first, Math.min(last, length - 1)};
        } catch (NumberFormatException e) {
            // More digits than a long holds: no file is that large.
            return new long[0];
        }
    }
}
