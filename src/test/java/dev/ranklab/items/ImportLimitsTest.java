package dev.ranklab.items;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.support.Api;
import dev.ranklab.web.ProblemException;

/** Imports that must fail whole: over the size limit, or cut off mid-upload. Nothing of them may be stored. */
@QuarkusTest
class ImportLimitsTest {

    @Inject
    ImportService importer;

    @Inject
    ItemService items;

    private static RanklabConfig.Import limits(long maxBytes) {
        return new RanklabConfig.Import() {

            public long maxBytes() {
                return maxBytes;
            }

            public int maxLineBytes() {
                return 10_000;
            }

            public int maxReportedRejections() {
                return 10;
            }

            public int batchSize() {
                return 7;
            }
        };
    }

    private static String lines(int count) {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < count; i++) {
            file.append(Api.rankingLine("L" + i, 2)).append('\n');
        }
        return file.toString();
    }

    @Test
    void aFileOverTheLimitIsRefusedWith413AndNothingIsStored() {
        long campaign = Api.newRankingCampaign(2);
        byte[] file = lines(200).getBytes(StandardCharsets.UTF_8);
        ProblemException e = assertThrows(ProblemException.class, () -> importer.importItems(campaign,
                new ByteArrayInputStream(file), ItemImport.Source.API, null, null, limits(file.length / 2)));
        assertEquals(413, e.status());
        assertTrue(e.detail().contains("nothing was imported"), e.detail());
        assertEquals(0, items.countIn(campaign), "batches written before the limit was hit are rolled back");
        assertEquals(ItemImport.Status.FAILED, items.recentImports(campaign, 1).get(0).status);
    }

    @Test
    void anUploadThatBreaksOffStoresNothing() {
        long campaign = Api.newRankingCampaign(2);
        byte[] file = lines(100).getBytes(StandardCharsets.UTF_8);
        InputStream breaking = new InputStream() {

            int position;

            @Override
            public int read() throws IOException {
                if (position == file.length / 2) {
                    throw new IOException("connection reset");
                }
                return file[position++];
            }
        };
        ProblemException e = assertThrows(ProblemException.class, () -> importer.importItems(campaign, breaking,
                ItemImport.Source.API, null, null, limits(Long.MAX_VALUE)));
        assertEquals(400, e.status());
        assertTrue(e.detail().contains("broke off"), e.detail());
        assertEquals(0, items.countIn(campaign));
    }

    @Test
    void smallBatchesStillCountDuplicatesAcrossBatchBoundaries() {
        long campaign = Api.newRankingCampaign(2);
        String file = lines(20) + lines(20);
        ImportReport report = importer.importItems(campaign,
                new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), ItemImport.Source.API, "twice.jsonl",
                null, limits(Long.MAX_VALUE));
        assertEquals(40, report.lines());
        assertEquals(20, report.imported());
        assertEquals(20, report.duplicates());
        assertEquals(20, items.countIn(campaign));
    }
}
