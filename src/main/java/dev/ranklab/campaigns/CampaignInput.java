package dev.ranklab.campaigns;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's settings as sent by the API or a form. On create, absent fields take defaults; on PATCH, absent
 * (null) fields stay as they are. Enums are strings here so that a wrong value gets our message, not Jackson's.
 */
public record CampaignInput(
        String name,
        String kind,
        Integer responsesPerItem,
        Integer overlap,
        String guidelines,
        Integer leaseMinutes,
        List<FlagInput> flags,
        String status,
        Boolean skipsCountTowardOverlap,
        Integer demonstrationMinChars,
        Integer demonstrationMaxChars,
        String queuePolicy,
        Boolean showScoresToAnnotators,
        Integer maxTasksPerAnnotator,
        Integer goldFirstTasks,
        Integer goldPercent,
        List<String> assignedAnnotators,
        List<String> assignedGroups,
        Boolean ratingsRequired,
        List<String> skipReasons,
        Boolean skipReasonRequired) {

    /** Only a status change. */
    public static CampaignInput status(String status) {
        return new CampaignInput(null, null, null, null, null, null, null, status, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    /**
     * What the audit log records of this input: every field that was sent, read from the record's components so that
     * a new setting is logged without anyone remembering to add it; the guidelines by their length, flags by code.
     */
    public Map<String, Object> auditDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        for (RecordComponent component : CampaignInput.class.getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value == null) {
                continue;
            }
            switch (component.getName()) {
                case "guidelines" -> details.put("guidelinesChars", guidelines.length());
                case "flags" -> details.put("flags", flags.stream().map(FlagInput::code).toList());
                default -> details.put(component.getName(), value);
            }
        }
        return details;
    }

    /** A flag as sent: the label is optional and defaults to the code. */
    public record FlagInput(String code, String label) {
    }
}
