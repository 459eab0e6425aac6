package dev.ranklab.export;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.database.Snapshot;
import dev.ranklab.web.ProblemException;

/**
 * Streams a campaign's dataset as JSON lines from one consistent snapshot: a read-only REPEATABLE READ transaction
 * and a server-side cursor, so memory stays flat at any size and submissions arriving meanwhile neither appear half
 * way nor break the export.
 */
@ApplicationScoped
public class ExportService {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CampaignService campaigns;

    @Inject
    EntityManager em;

    /** Checks that the campaign can give this export; call before the response is committed. */
    public Campaign check(long campaignId, ExportOptions options) {
        Campaign campaign = campaigns.get(campaignId);
        ExportFormat format = options.format();
        boolean demonstrations = campaign.kind == CampaignKind.DEMONSTRATION;
        if (demonstrations != (format == ExportFormat.SFT)) {
            throw ProblemException.badRequest("format=" + format.fileName() + " does not apply to a "
                    + campaign.kind + " campaign; use " + (demonstrations ? "sft" : "rankings, pairs, trl or kto"));
        }
        if ((format == ExportFormat.TRL || format == ExportFormat.KTO) && options.shape().trlStandard()) {
            long conversations = multiTurnItems(campaignId);
            if (conversations > 0) {
                throw ProblemException.badRequest("trlFormat=standard needs single-turn prompts, and " + conversations
                        + " items of this campaign hold a conversation; use trlFormat=conversational");
            }
        }
        return campaign;
    }

    /** Writes the chosen part of the dataset to {@code out}, one JSON object a line; returns the line count. */
    public long write(long campaignId, ExportOptions options, OutputStream out) {
        return write(campaignId, options, out, Long.MAX_VALUE);
    }

    /** The first {@code maxLines} lines only, for previews. */
    public long write(long campaignId, ExportOptions options, OutputStream out, long maxLines) {
        ExportQueries.Query query = ExportQueries.build(options, campaignId);
        // A preview asks PostgreSQL for its few lines (a top-N sort), rather than reading a cursor over all rows.
        String sql = maxLines == Long.MAX_VALUE ? query.sql() : query.sql().strip() + "\nLIMIT " + maxLines;
        long[] lines = {0};
        Snapshot.read(dataSource, sql, query.parameters(), row -> {
            if (lines[0] >= maxLines) {
                return false;
            }
            out.write(row.getString(1).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            lines[0]++;
            return true;
        });
        return lines[0];
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    long multiTurnItems(long campaignId) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM items WHERE campaign_id = ?1 "
                + "AND (jsonb_array_length(prompt) <> 1 OR prompt -> 0 ->> 'role' <> 'user')")
                .setParameter(1, campaignId).getSingleResult()).longValue();
    }
}
