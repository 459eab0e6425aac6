package dev.ranklab.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import dev.ranklab.config.RanklabConfig;

/**
 * Refuses JSON and form bodies over {@code ranklab.max-json-bytes} with 413 before reading them when they declare
 * their length, and while reading them when they come chunked. The server-wide body limit stays high because item
 * imports stream files of up to a gigabyte; those have their own limits and are exempt here.
 */
@Provider
@Singleton
public class BodySizeLimit implements ReaderInterceptor {

    // Looked up per request: the HTTP filters are registered before configuration mappings can be injected.
    @Inject
    Instance<RanklabConfig> config;

    private long limit() {
        return config.get().maxJsonBytes();
    }

    void register(@Observes Filters filters) {
        filters.register(this::checkDeclaredLength, 100);
    }

    private void checkDeclaredLength(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null && limited(context.request().getHeader("Content-Type"))) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > limit()) {
                String path = context.request().path();
                context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(new JsonObject().put("type", "about:blank").put("title", "Payload Too Large")
                                .put("status", 413).put("detail", "the request body is " + declared
                                        + " bytes; at most " + limit() + " are accepted here")
                                .put("instance", path).encode());
                return;
            }
        }
        context.next();
    }

    /** JSON and forms are limited; NDJSON imports, file uploads and bodies of other types are not. */
    static boolean limited(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return (type.startsWith("application/json") || type.contains("+json")
                || type.startsWith("application/x-www-form-urlencoded"));
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getMediaType() != null && limited(context.getMediaType().toString())) {
            context.setInputStream(new Capped(context.getInputStream(), limit()));
        }
        return context.proceed();
    }

    /** Fails the read with 413 once more than the limit has come in. */
    private static final class Capped extends FilterInputStream {

        private final long limit;
        private long read;

        Capped(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new WebApplicationException(413);
            }
        }
    }
}
