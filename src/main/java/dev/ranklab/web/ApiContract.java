package dev.ranklab.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * What the annotations cannot say about every operation at once, so that a route added tomorrow is described the
 * same way: its error answers as problem+json, request objects that refuse unknown fields (the server is configured
 * so), response fields that may be null, an example of each request body, opaque bearer tokens, and no component
 * that no operation uses (the HTML pages' Qute types).
 */
final class ApiContract {

    private static final String REF = "#/components/schemas/";
    private static final String PROBLEM = "Problem";
    private static final Set<PathItem.HttpMethod> WRITES = Set.of(PathItem.HttpMethod.POST, PathItem.HttpMethod.PUT,
            PathItem.HttpMethod.PATCH, PathItem.HttpMethod.DELETE);

    private ApiContract() {
    }

    static void apply(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        if (api.getComponents().getSecuritySchemes() != null) {
            api.getComponents().getSecuritySchemes().values().forEach(scheme -> {
                scheme.setBearerFormat(null);
                scheme.setDescription("An opaque token from POST /api/v1/auth/token, sent as Authorization: Bearer "
                        + "<token>");
            });
        }
        api.getComponents().addSchema(PROBLEM, problem());
        anyJsonForJsonNode(api);
        partialPatchBodies(api, api.getComponents().getSchemas());
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        tidy(api, schemas);
        List<Schema> requestRoots = new ArrayList<>();
        List<Schema> responseRoots = new ArrayList<>();
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            documentErrors(path, method, operation);
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                for (MediaType media : operation.getRequestBody().getContent().getMediaTypes().values()) {
                    if (media.getSchema() != null) {
                        requestRoots.add(media.getSchema());
                        if (media.getExample() == null && media.getExamples() == null) {
                            media.setExample(example(media.getSchema(), schemas, 0));
                        }
                    }
                }
            }
            operation.getResponses().getAPIResponses().values().stream()
                    .filter(response -> response.getContent() != null)
                    .flatMap(response -> response.getContent().getMediaTypes().values().stream())
                    .filter(media -> media.getSchema() != null)
                    .forEach(media -> responseRoots.add(media.getSchema()));
        }));
        Set<String> requests = reachable(requestRoots, schemas);
        Set<String> responses = reachable(responseRoots, schemas);
        for (String name : requests) {
            Schema schema = schemas.get(name);
            if (schema.getProperties() != null && schema.getAdditionalPropertiesSchema() == null
                    && schema.getAdditionalPropertiesBoolean() == null) {
                schema.setAdditionalPropertiesBoolean(false);
            }
        }
        // A request field left out or sent as null is the same to the server (absent: the default, or unchanged);
        // an answer's field that is not required may be null (a campaign's K, an empty agreement).
        for (String name : requests) {
            nullableUnlessRequired(schemas.get(name));
        }
        for (String name : responses) {
            if (!requests.contains(name) && !name.equals(PROBLEM)) {
                nullableUnlessRequired(schemas.get(name));
            }
        }
        Set<String> used = new HashSet<>(requests);
        used.addAll(responses);
        used.add(PROBLEM);
        new ArrayList<>(schemas.keySet()).stream().filter(name -> !used.contains(name))
                .forEach(api.getComponents()::removeSchema);
    }

    /**
     * A field typed as Jackson's JsonNode holds any JSON (an audit entry's details); the generator refers to a
     * description of the node class's getters instead. The reference goes; what the field says besides (a prompt's
     * oneOf) stays.
     */
    private static void anyJsonForJsonNode(OpenAPI api) {
        for (Schema schema : everySchema(api, api.getComponents().getSchemas())) {
            if ((REF + "JsonNode").equals(schema.getRef())) {
                schema.setRef(null);
                schema.setType(null);
            }
        }
    }

    /**
     * PATCH changes only the fields it sends, so a body shared with the POST that creates the resource is published
     * for PATCH without the POST's required fields and without its defaults, under its own name: a generated client
     * sends a field's default whenever the caller leaves it out, which on PATCH would reset the stored setting.
     */
    private static void partialPatchBodies(OpenAPI api, Map<String, Schema> schemas) {
        api.getPaths().getPathItems().values().forEach(item -> {
            Operation patch = item.getPATCH();
            if (patch == null || patch.getRequestBody() == null || patch.getRequestBody().getContent() == null) {
                return;
            }
            for (MediaType media : patch.getRequestBody().getContent().getMediaTypes().values()) {
                Schema body = media.getSchema();
                if (body == null || body.getRef() == null) {
                    continue;
                }
                String name = body.getRef().substring(body.getRef().lastIndexOf('/') + 1);
                Schema whole = schemas.get(name);
                if (whole == null || whole.getProperties() == null) {
                    continue;
                }
                boolean required = whole.getRequired() != null && !whole.getRequired().isEmpty();
                boolean defaults = whole.getProperties().values().stream().anyMatch(p -> p.getDefaultValue() != null);
                if (!required && !defaults) {
                    continue;
                }
                Schema partial = OASFactory.createSchema();
                partial.setAll(new LinkedHashMap<>(whole.getAll()));
                partial.setRequired(null);
                Map<String, Schema> properties = new LinkedHashMap<>();
                whole.getProperties().forEach((field, property) -> {
                    Schema withoutDefault = copy(property);
                    withoutDefault.setDefaultValue(null);
                    properties.put(field, withoutDefault);
                });
                partial.setProperties(properties);
                api.getComponents().addSchema(name + "Patch", partial);
                media.setSchema(OASFactory.createSchema().ref(name + "Patch"));
            }
        });
    }

    private static void documentErrors(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        boolean body = operation.getRequestBody() != null;
        boolean parameters = path.contains("{") || (operation.getParameters() != null
                && !operation.getParameters().isEmpty());
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        Map<String, String> errors = new LinkedHashMap<>();
        if (body || parameters) {
            errors.put("400", "The request is invalid; detail names the field or line at fault");
        }
        if (secured) {
            errors.put("401", "No valid token was sent");
            errors.put("403", "The caller's role does not allow this");
        }
        if (path.contains("{")) {
            errors.put("404", "No such resource");
        }
        if (WRITES.contains(method) && !path.equals("/api/v1/auth/token")) {
            errors.put("409", "The change conflicts with the resource's state (a duplicate, a closed campaign, …)");
        }
        if (body) {
            errors.put("413", "The request body is too large");
            errors.put("415", "The request body's Content-Type is not accepted here");
        }
        if (path.equals("/api/v1/auth/token") && method == PathItem.HttpMethod.POST) {
            errors.put("429", "Too many failed logins; Retry-After says when to try again");
        }
        errors.put("default", "Any other error, such as 503 while the database is unavailable");
        // An operation's own description of a code, with its content (its annotations), wins over the general one;
        // the bare 401/403 the framework adds for secured operations does not.
        errors.keySet().removeIf(code -> responses.hasAPIResponse(code)
                && responses.getAPIResponse(code).getContent() != null);
        errors.forEach((code, description) -> responses.addAPIResponse(code, OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))))));
    }

    private static Schema problem() {
        return OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("An RFC 9457 problem document")
                .addProperty("type", OASFactory.createSchema().addType(SchemaType.STRING))
                .addProperty("title", OASFactory.createSchema().addType(SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().addType(SchemaType.STRING))
                .addProperty("instance", OASFactory.createSchema().addType(SchemaType.STRING))
                .required(List.of("title", "status"));
    }

    /** Component names reachable from these schemas. */
    private static Set<String> reachable(List<Schema> roots, Map<String, Schema> schemas) {
        Set<String> seen = new HashSet<>();
        List<Schema> pending = new ArrayList<>(roots);
        while (!pending.isEmpty()) {
            Schema schema = pending.remove(pending.size() - 1);
            if (schema == null) {
                continue;
            }
            if (schema.getRef() != null) {
                String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
                if (schemas.containsKey(name) && seen.add(name)) {
                    pending.add(schemas.get(name));
                }
            }
            addChildren(schema, pending);
        }
        return seen;
    }

    /**
     * A field not listed as required may be null. The property is replaced, never changed in place: a request body
     * and its PATCH variant share their property schemas, and only one of them requires the field.
     */
    private static void nullableUnlessRequired(Schema schema) {
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        Map<String, Schema> properties = new LinkedHashMap<>(schema.getProperties());
        properties.forEach((name, property) -> {
            if (required.contains(name)) {
                return;
            }
            if (property.getRef() != null) {
                schema.addProperty(name, OASFactory.createSchema().addAnyOf(property)
                        .addAnyOf(OASFactory.createSchema().addType(SchemaType.NULL)));
            } else if (property.getType() != null && !property.getType().contains(SchemaType.NULL)) {
                Schema nullable = copy(property);
                List<SchemaType> types = new ArrayList<>(property.getType());
                types.add(SchemaType.NULL);
                nullable.setType(types);
                if (property.getEnumeration() != null) {
                    List<Object> values = new ArrayList<>(property.getEnumeration());
                    values.add(null);
                    nullable.setEnumeration(values);
                }
                schema.addProperty(name, nullable);
            }
        });
    }

    private static Schema copy(Schema schema) {
        Schema copy = OASFactory.createSchema();
        copy.setAll(new LinkedHashMap<>(schema.getAll()));
        return copy;
    }

    /**
     * A reference stands alone: the generator writes {@code type: object} beside a reference to an enum named by
     * {@code implementation}, which no value could satisfy. A parameter without a schema is a string (every query
     * and path value is), so that a client or fuzzer knows what to send.
     */
    private static void tidy(OpenAPI api, Map<String, Schema> schemas) {
        api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(parameter -> {
                    if (parameter.getSchema() == null && parameter.getContent() == null) {
                        parameter.setSchema(OASFactory.createSchema().addType(SchemaType.STRING));
                    }
                });
            }
        }));
        for (Schema schema : everySchema(api, schemas)) {
            if (schema.getRef() != null) {
                schema.setType(null);
            }
        }
    }

    /** Every schema object of the components, parameters, request bodies and answers, nested ones included. */
    private static Set<Schema> everySchema(OpenAPI api, Map<String, Schema> schemas) {
        List<Schema> pending = new ArrayList<>(schemas.values());
        api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(parameter -> pending.add(parameter.getSchema()));
            }
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                operation.getRequestBody().getContent().getMediaTypes().values().forEach(m -> pending.add(m
                        .getSchema()));
            }
            if (operation.getResponses() != null) {
                operation.getResponses().getAPIResponses().values().stream().filter(r -> r.getContent() != null)
                        .flatMap(r -> r.getContent().getMediaTypes().values().stream())
                        .forEach(m -> pending.add(m.getSchema()));
            }
        }));
        Set<Schema> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!pending.isEmpty()) {
            Schema schema = pending.remove(pending.size() - 1);
            if (schema == null || !seen.add(schema)) {
                continue;
            }
            addChildren(schema, pending);
        }
        return seen;
    }

    /** A small valid-looking value for a schema: the first enum value, the lower bound, one array element. */
    static Object example(Schema schema, Map<String, Schema> schemas, int depth) {
        if (schema == null || depth > 5) {
            return null;
        }
        if (schema.getExample() != null) {
            return schema.getExample();
        }
        if (schema.getRef() != null) {
            return example(schemas.get(schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1)), schemas,
                    depth + 1);
        }
        if (schema.getEnumeration() != null && !schema.getEnumeration().isEmpty()) {
            return schema.getEnumeration().get(0);
        }
        if (schema.getOneOf() != null && !schema.getOneOf().isEmpty()) {
            return example(schema.getOneOf().get(0), schemas, depth + 1);
        }
        List<SchemaType> types = schema.getType() == null ? List.of() : schema.getType();
        if (types.contains(SchemaType.OBJECT) || schema.getProperties() != null) {
            Map<String, Object> object = new LinkedHashMap<>();
            if (schema.getProperties() != null) {
                List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
                schema.getProperties().forEach((name, property) -> {
                    if (required.isEmpty() || required.contains(name)) {
                        Object value = example(property, schemas, depth + 1);
                        if (value != null) {
                            object.put(name, value);
                        }
                    }
                });
            }
            return object;
        }
        if (types.contains(SchemaType.ARRAY)) {
            Object item = example(schema.getItems(), schemas, depth + 1);
            return item == null ? List.of() : List.of(item);
        }
        if (types.contains(SchemaType.INTEGER)) {
            return schema.getMinimum() != null ? schema.getMinimum().longValue() : 1;
        }
        if (types.contains(SchemaType.NUMBER)) {
            return schema.getMinimum() != null ? schema.getMinimum() : 0.5;
        }
        if (types.contains(SchemaType.BOOLEAN)) {
            return false;
        }
        if (types.contains(SchemaType.STRING)) {
            return "date-time".equals(schema.getFormat()) ? "2026-01-01T00:00:00Z" : "text";
        }
        return null;
    }

    /** The schemas directly inside this one: properties, items, additional properties and its compositions. */
    private static void addChildren(Schema schema, List<Schema> pending) {
        if (schema.getProperties() != null) {
            pending.addAll(schema.getProperties().values());
        }
        pending.add(schema.getItems());
        pending.add(schema.getAdditionalPropertiesSchema());
        for (List<Schema> group : java.util.Arrays.asList(schema.getOneOf(), schema.getAnyOf(), schema.getAllOf())) {
            if (group != null) {
                pending.addAll(group);
            }
        }
    }
}
