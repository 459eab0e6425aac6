package dev.ranklab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.QueryParam;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.junit.jupiter.api.Test;

/**
 * Quarkus REST hands a missing primitive parameter to {@link Flags}' converter as "0", which the strict parser
 * refuses: an unticked checkbox then fails its whole form with a bare 400. Every primitive flag of a resource must
 * therefore declare {@code @DefaultValue("false")}.
 */
class PrimitiveFlagDefaultsTest {

    @Test
    void everyPrimitiveFlagParameterDeclaresFalseAsItsDefault() throws Exception {
        List<String> missing = new ArrayList<>();
        int flags = 0;
        for (Class<?> type : appClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                for (Parameter parameter : method.getParameters()) {
                    if (parameter.getType() != boolean.class || !isRequestParameter(parameter)) {
                        continue;
                    }
                    flags++;
                    DefaultValue fallback = parameter.getAnnotation(DefaultValue.class);
                    if (fallback == null || !"false".equals(fallback.value())) {
                        missing.add(type.getSimpleName() + "." + method.getName() + "(" + parameter.getName() + ")");
                    }
                }
            }
        }
        assertTrue(flags > 10, "found only " + flags + " primitive flags: the scan no longer sees the resources");
        assertEquals(List.of(), missing, "primitive flags without @DefaultValue(\"false\")");
    }

    private static boolean isRequestParameter(Parameter parameter) {
        for (Class<? extends Annotation> kind : List.of(RestForm.class, RestQuery.class, QueryParam.class,
                FormParam.class)) {
            if (parameter.isAnnotationPresent(kind)) {
                return true;
            }
        }
        return false;
    }

    private static List<Class<?>> appClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Flags.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/ranklab"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$"))
                    .toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                classes.add(Class.forName(name, false, PrimitiveFlagDefaultsTest.class.getClassLoader()));
            }
        }
        return classes;
    }
}
