package dev.ranklab.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ranklab.campaigns.CampaignInput;

/** What an audit entry says about a change: the settings that were sent, long texts by length only. */
public final class AuditDetails {

    private AuditDetails() {
    }

    public static Map<String, Object> present(CampaignInput input) {
        Map<String, Object> details = new LinkedHashMap<>();
        put(details, "name", input.name());
        put(details, "responsesPerItem", input.responsesPerItem());
        put(details, "overlap", input.overlap());
        if (input.guidelines() != null) {
            details.put("guidelinesChars", input.guidelines().length());
        }
        put(details, "leaseMinutes", input.leaseMinutes());
        if (input.flags() != null) {
            details.put("flags", input.flags().stream().map(CampaignInput.FlagInput::code).toList());
        }
        put(details, "status", input.status());
        put(details, "skipsCountTowardOverlap", input.skipsCountTowardOverlap());
        put(details, "demonstrationMinChars", input.demonstrationMinChars());
        put(details, "demonstrationMaxChars", input.demonstrationMaxChars());
        put(details, "queuePolicy", input.queuePolicy());
        put(details, "showScoresToAnnotators", input.showScoresToAnnotators());
        return details;
    }

    private static void put(Map<String, Object> details, String key, Object value) {
        if (value != null) {
            details.put(key, value);
        }
    }
}
