package dev.ranklab.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An audit entry as the audit page shows it: what it touched by name with a link, and its details as labelled
 * fields rather than JSON.
 */
public record AuditRow(long id, OffsetDateTime at, String actor, String action, String target, String targetLabel,
        String targetLink, List<Field> details) {

    /** One detail: its name in words and its value as text. */
    public record Field(String name, String value) {
    }

    /** @param names the names of the things entries touch, by kind ("campaign", "user", "item") and id */
    static AuditRow of(AuditQueries.Entry entry, Map<String, Map<Long, String>> names) {
        String label = entry.target();
        String link = null;
        Long id = idOf(entry.target());
        String kind = kindOf(entry.target());
        if (id != null) {
            String name = names.getOrDefault(kind, Map.of()).get(id);
            switch (kind) {
                case "campaign" -> {
                    label = "campaign " + (name == null ? id : name);
                    link = name == null ? null : "/campaigns/" + id;
                }
                case "user" -> {
                    label = "user " + (name == null ? id : name);
                    link = name == null ? null : "/admin/users/" + id;
                }
                case "item" -> {
                    label = name == null ? "item " + id + " (deleted)" : "item " + name;
                    link = name == null ? null : "/review/items/" + id;
                }
                case "reward_model" -> {
                    label = "reward model v" + id;
                    link = "/reward-models";
                }
                case "webhook" -> {
                    label = "webhook " + id;
                    link = "/admin/webhooks";
                }
                default -> label = kind.replace('_', ' ') + " " + id;
            }
        }
        return new AuditRow(entry.id(), entry.at(), entry.actor(), entry.action(), entry.target(), label, link,
                fields(entry.details()));
    }

    static String kindOf(String target) {
        if (target == null) {
            return "";
        }
        int colon = target.indexOf(':');
        return colon < 0 ? target : target.substring(0, colon);
    }

    static Long idOf(String target) {
        if (target == null || target.indexOf(':') < 0) {
            return null;
        }
        try {
            return Long.valueOf(target.substring(target.indexOf(':') + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The details' fields, their names in words ("leaseMinutes" reads "lease minutes"). */
    static List<Field> fields(JsonNode details) {
        List<Field> fields = new ArrayList<>();
        if (details == null || details.isNull() || details.isMissingNode()) {
            return fields;
        }
        if (!details.isObject()) {
            fields.add(new Field("details", text(details)));
            return fields;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = details.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.add(new Field(words(field.getKey()), text(field.getValue())));
        }
        return fields;
    }

    static String words(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
    }

    private static String text(JsonNode value) {
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(text(v)));
            return parts.isEmpty() ? "none" : String.join(", ", parts);
        }
        if (value.isObject()) {
            List<String> parts = new ArrayList<>();
            value.fields().forEachRemaining(f -> parts.add(words(f.getKey()) + ": " + text(f.getValue())));
            return String.join("; ", parts);
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "yes" : "no";
        }
        return value.isNull() ? "–" : value.asText();
    }
}
