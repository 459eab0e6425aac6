package dev.ranklab.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Input that failed validation, with a message per field, so forms can show each next to its field. */
public class InvalidInputException extends ProblemException {

    private final Map<String, String> fieldErrors;

    public InvalidInputException(Map<String, String> fieldErrors) {
        this(400, fieldErrors);
    }

    /** Field errors with another status, such as 409 for a name already taken. */
    public InvalidInputException(int status, Map<String, String> fieldErrors) {
        super(status, status == 409 ? "Conflict" : "Invalid request", fieldErrors.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; ")));
        this.fieldErrors = Collections.unmodifiableMap(new LinkedHashMap<>(fieldErrors));
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /**
     * The errors as a page says them, each after its field's label rather than the API's field name
     * ("Reason: say why…", not "reason: say why…"); a field without a label keeps its name.
     */
    public String inWords(Map<String, String> labels) {
        return fieldErrors.entrySet().stream()
                .map(e -> labels.getOrDefault(e.getKey(), e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining("; "));
    }

    /** Collects field errors and throws them together, so a form shows every problem at once. */
    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(Map.of(field, message));
    }

    public static final class Collector {

        private final Map<String, String> errors = new LinkedHashMap<>();

        public Collector add(String field, String message) {
            errors.putIfAbsent(field, message);
            return this;
        }

        public boolean has(String field) {
            return errors.containsKey(field);
        }

        public void throwIfAny() {
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
        }
    }
}
