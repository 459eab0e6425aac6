package dev.ranklab.campaigns;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.ranklab.users.Groups;
import dev.ranklab.web.ApiPatterns;

/**
 * A campaign's settings as sent by the API or a form. On create, absent fields take defaults; on PATCH, absent
 * (null) fields stay as they are. Enums are strings here so that a wrong value gets our message, not Jackson's.
 */
public record CampaignInput(
        @Schema(required = true, maxLength = CampaignService.MAX_NAME, pattern = ApiPatterns.TEXT_LINE) String name,
        @Schema(required = true, implementation = CampaignKind.class) String kind,
        @Schema(minimum = "2", maximum = "9", description = "Required for RANKING, refused for DEMONSTRATION") Integer responsesPerItem,
        @Schema(minimum = "1", maximum = "10", defaultValue = "1") Integer overlap,
        @Schema(maxLength = CampaignService.MAX_GUIDELINES) String guidelines,
        @Schema(minimum = "1", maximum = "1440", defaultValue = "30") Integer leaseMinutes,
        @Schema(maxItems = CampaignService.MAX_FLAGS, description = "Codes must differ") List<FlagInput> flags,
        @Schema(ref = "CampaignStatus", description = "A new campaign starts as DRAFT") String status,
        Boolean skipsCountTowardOverlap,
        @Schema(minimum = "1", maximum = "200000", defaultValue = "1") Integer demonstrationMinChars,
        @Schema(minimum = "1", maximum = "200000", defaultValue = "20000", description = "At least demonstrationMinChars") Integer demonstrationMaxChars,
        @Schema(implementation = QueuePolicy.class) String queuePolicy,
        Boolean showScoresToAnnotators,
        @Schema(minimum = "0", maximum = "1000000", description = "0: no cap") Integer maxTasksPerAnnotator,
        @Schema(minimum = "0", maximum = "1000", description = "RANKING only") Integer goldFirstTasks,
        @Schema(minimum = "0", maximum = "100", description = "RANKING only") Integer goldPercent,
        @Schema(description = "Usernames of existing users") List<String> assignedAnnotators,
        @Schema(type = SchemaType.ARRAY, implementation = Groups.ApiName.class, maxItems = Groups.MAX_GROUPS) List<String> assignedGroups,
        @Schema(description = "false: ratings are optional (a K = 2 task is then one pick)", defaultValue = "true") Boolean ratingsRequired,
        @Schema(maxItems = 20, description = "Preset skip reasons shown to annotators, one line each, at most 200 characters, no two alike") List<String> skipReasons,
        @Schema(defaultValue = "false", description = "Whether a plain skip needs a reason") Boolean skipReasonRequired) {

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
    public record FlagInput(@Schema(required = true, pattern = "^\\s*[a-z0-9][a-z0-9_-]{0,49}\\s*$") String code,
            @Schema(maxLength = CampaignService.MAX_FLAG_LABEL, description = "Absent: the code") String label) {
    }
}
