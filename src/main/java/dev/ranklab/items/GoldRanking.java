package dev.ranklab.items;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The rule for a gold item's reference ranking, shared by the importer and the gold API. */
public final class GoldRanking {

    private GoldRanking() {
    }

    /** Tiers from a ranking written as people write it, "r2 > r1 = r3" (best first, "=" for ties). */
    public static List<List<String>> parseWritten(String text) {
        List<List<String>> tiers = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return tiers;
        }
        for (String tier : text.split(">", -1)) {
            List<String> ids = new ArrayList<>();
            for (String id : tier.split("=", -1)) {
                ids.add(id.strip());
            }
            tiers.add(ids.stream().anyMatch(String::isEmpty) ? List.of() : ids);
        }
        return tiers;
    }

    /** What is wrong with these tiers for an item with these response ids, or null when they are a ranking. */
    public static String problem(List<List<String>> tiers, List<String> responseIds) {
        if (tiers == null || tiers.isEmpty()) {
            return "must rank the item's responses in tiers, best first, e.g. [[\"r2\"],[\"r1\",\"r3\"]]";
        }
        Set<String> ids = new HashSet<>(responseIds);
        Set<String> seen = new HashSet<>();
        for (int t = 0; t < tiers.size(); t++) {
            List<String> tier = tiers.get(t);
            if (tier == null || tier.isEmpty()) {
                return "tier " + (t + 1) + " is empty";
            }
            for (String id : tier) {
                if (!ids.contains(id)) {
                    return "'" + (id == null ? "null" : id.length() > 40 ? id.substring(0, 40) + "…" : id)
                            + "' is not a response of this item (it has " + String.join(", ", new TreeSet<>(ids))
                            + "; put > between tiers and = between tied responses)";
                }
                if (!seen.add(id)) {
                    return "'" + id + "' appears more than once";
                }
            }
        }
        if (seen.size() < ids.size()) {
            Set<String> missing = new TreeSet<>(ids);
            missing.removeAll(seen);
            return "every response must be ranked; missing " + String.join(", ", missing);
        }
        return null;
    }
}
