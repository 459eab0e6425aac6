package dev.ranklab.web;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * The one way a flag is read from a query, form or header: {@code true} or {@code false} (any case), and nothing
 * else. JAX-RS on its own reads anything but "true" as false, so {@code realNames=1} would silently mean false.
 */
@Provider
public class Flags implements ParamConverterProvider {

    /** Reads a flag; blank or absent gives the fallback, anything but true or false is refused naming the field. */
    public static boolean parse(String name, String value, boolean fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Boolean flag = strict(value);
        if (flag == null) {
            throw ProblemException.badRequest(name + " must be true or false, not '" + value + "'");
        }
        return flag;
    }

    private static Boolean strict(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType != boolean.class && rawType != Boolean.class) {
            return null;
        }
        return (ParamConverter<T>) new ParamConverter<Boolean>() {

            @Override
            public Boolean fromString(String value) {
                // Quarkus REST hands a missing primitive parameter over as "0", so every primitive flag declares
                // @DefaultValue("false"): then "0" here was typed by someone and is refused like any other word.
                if (value == null || value.isBlank()) {
                    return rawType == boolean.class ? Boolean.FALSE : null;
                }
                Boolean flag = strict(value);
                if (flag == null) {
                    // JAX-RS turns this into 404 for a query parameter; ErrorMappers makes it a 400 that says why.
                    throw new IllegalArgumentException("must be true or false");
                }
                return flag;
            }

            @Override
            public String toString(Boolean value) {
                return value.toString();
            }
        };
    }
}
