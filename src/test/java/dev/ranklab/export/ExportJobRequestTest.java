package dev.ranklab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The background export's documented body names exactly the options the export parser reads, in its order. */
class ExportJobRequestTest {

    @Test
    void theDocumentedFieldsAreTheExportOptions() {
        assertEquals(ExportOptions.NAMES, Arrays.stream(ExportJobRequest.class.getRecordComponents())
                .map(RecordComponent::getName).toList());
    }
}
