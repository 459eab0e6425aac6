package dev.ranklab.dashboards;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.export.DatasetStats;
import dev.ranklab.export.StatsService;
import dev.ranklab.quality.Agreement;
import dev.ranklab.quality.AgreementService;
import dev.ranklab.quality.GoldAgreement;
import dev.ranklab.quality.Pseudonyms;
import dev.ranklab.rewardmodel.RewardModelVersion;
import dev.ranklab.rewardmodel.TrainingMetrics;

/** Computes a campaign's dashboard with a handful of aggregate queries. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class DashboardService {

    static final int DAYS = 30;
    static final int HOURS = 48;

    @Inject
    EntityManager em;

    @Inject
    CampaignService campaigns;

    @Inject
    StatsService stats;

    @Inject
    AgreementService agreement;

    public Dashboard of(long campaignId, boolean realNames) {
        Campaign campaign = campaigns.get(campaignId);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        DatasetStats dataset = stats.stats(campaign);
        boolean ranking = campaign.kind == CampaignKind.RANKING;
        return new Dashboard(campaignId, progress(campaign, now), perDay(campaignId, now), perHour(campaignId, now),
                annotators(campaign, realNames), ranking ? StatsService.everyRating(dataset.ratings()) : List.of(),
                ranking ? dataset.flags() : List.of(), ranking ? rewardModel(campaignId) : List.of());
    }

    /** Annotations done and needed (ordinary items × overlap) per campaign, in one query, for the campaign list. */
    public Map<Long, long[]> doneAndNeeded(List<Long> campaignIds) {
        Map<Long, long[]> progress = new HashMap<>();
        if (campaignIds.isEmpty()) {
            return progress;
        }
        List<Object[]> rows = em.createNativeQuery("""
                SELECT i.campaign_id,
                       coalesce(sum(least(i.finished, c.overlap)) FILTER (WHERE i.gold_ranking IS NULL), 0),
                       count(*) FILTER (WHERE i.gold_ranking IS NULL) * c.overlap
                  FROM items i JOIN campaigns c ON c.id = i.campaign_id
                 WHERE i.campaign_id = ANY(?1)
                 GROUP BY i.campaign_id, c.overlap""", Object[].class)
                .setParameter(1, campaignIds.toArray(Long[]::new)).getResultList();
        for (Object[] row : rows) {
            progress.put(number(row[0]), new long[]{number(row[1]), number(row[2])});
        }
        return progress;
    }

    private Dashboard.Progress progress(Campaign campaign, OffsetDateTime now) {
        Object[] items = (Object[]) em.createNativeQuery("""
                SELECT count(*),
                       count(*) FILTER (WHERE gold_ranking IS NULL AND NOT complete AND finished = 0 AND leased = 0),
                       count(*) FILTER (WHERE gold_ranking IS NULL AND NOT complete AND (finished > 0 OR leased > 0)),
                       count(*) FILTER (WHERE gold_ranking IS NULL AND complete),
                       count(*) FILTER (WHERE gold_ranking IS NOT NULL),
                       coalesce(sum(least(finished, ?2)) FILTER (WHERE gold_ranking IS NULL), 0)
                  FROM items WHERE campaign_id = ?1""")
                .setParameter(1, campaign.id).setParameter(2, campaign.overlap).getSingleResult();
        // The pace counts what fills overlap slots: submissions, and skips where the campaign counts them, over the
        // last 7 days, or since the first of them when work began more recently (but at least a day, so that the
        // first hour's burst does not promise the moon).
        Object[] recent = (Object[]) em.createNativeQuery("""
                SELECT count(*), extract(epoch FROM (now() - min(t.finished_at))) / 86400.0
                  FROM tasks t JOIN items i ON i.id = t.item_id
                 WHERE t.campaign_id = ?1 AND i.gold_ranking IS NULL AND t.finished_at > ?2
                   AND (t.status = 'SUBMITTED' OR (?3 AND t.status IN ('SKIPPED', 'UNRANKABLE')))""")
                .setParameter(1, campaign.id).setParameter(2, now.minusDays(7))
                .setParameter(3, campaign.skipsCountTowardOverlap).getSingleResult();
        double days = recent[1] == null ? 7 : Math.max(1, Math.min(7, ((Number) recent[1]).doubleValue()));
        long ordinary = number(items[0]) - number(items[4]);
        long needed = ordinary * campaign.overlap;
        long done = number(items[5]);
        double perDay = number(recent[0]) / days;
        LocalDate estimate = perDay > 0 && done < needed
                ? now.toLocalDate().plusDays((long) Math.ceil((needed - done) / perDay))
                : null;
        return new Dashboard.Progress(number(items[0]), number(items[1]), number(items[2]), number(items[3]),
                number(items[4]), needed, done, perDay, estimate);
    }

    private List<Dashboard.DayCount> perDay(long campaignId, OffsetDateTime now) {
        LocalDate first = now.toLocalDate().minusDays(DAYS - 1);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
                       count(*) FILTER (WHERE status = 'SUBMITTED'),
                       count(*) FILTER (WHERE status IN ('SKIPPED', 'UNRANKABLE'))
                  FROM tasks WHERE campaign_id = ?1 AND finished_at >= ?2
                 GROUP BY 1""")
                .setParameter(1, campaignId).setParameter(2, first.atStartOfDay().atOffset(ZoneOffset.UTC))
                .getResultList();
        Map<LocalDate, long[]> counts = new HashMap<>();
        for (Object[] row : rows) {
            counts.put(LocalDate.parse((String) row[0]), new long[]{number(row[1]), number(row[2])});
        }
        List<Dashboard.DayCount> days = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(now.toLocalDate()); day = day.plusDays(1)) {
            long[] count = counts.getOrDefault(day, new long[2]);
            days.add(new Dashboard.DayCount(day, count[0], count[1]));
        }
        return days;
    }

    private List<Dashboard.HourCount> perHour(long campaignId, OffsetDateTime now) {
        OffsetDateTime first = now.truncatedTo(ChronoUnit.HOURS).minusHours(HOURS - 1);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT floor(extract(epoch FROM finished_at) / 3600)::bigint, count(*)
                  FROM tasks WHERE campaign_id = ?1 AND status = 'SUBMITTED' AND finished_at >= ?2
                 GROUP BY 1""")
                .setParameter(1, campaignId).setParameter(2, first).getResultList();
        Map<Long, Long> counts = new HashMap<>();
        for (Object[] row : rows) {
            counts.put(number(row[0]), number(row[1]));
        }
        List<Dashboard.HourCount> hours = new ArrayList<>();
        for (OffsetDateTime hour = first; !hour.isAfter(now); hour = hour.plusHours(1)) {
            hours.add(new Dashboard.HourCount(hour, counts.getOrDefault(hour.toEpochSecond() / 3600, 0L)));
        }
        return hours;
    }

    private List<Dashboard.AnnotatorStats> annotators(Campaign campaign, boolean realNames) {
        String name = Pseudonyms.sql("t", realNames);
        // Grouped by id and named per group: the pseudonym's hash is computed once per annotator, not once per task.
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT %s AS annotator,
                       count(*) FILTER (WHERE t.status = 'SUBMITTED'),
                       count(*) FILTER (WHERE t.status IN ('SKIPPED', 'UNRANKABLE')),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY coalesce(t.active_seconds, t.lease_seconds))
                           FILTER (WHERE t.status = 'SUBMITTED'),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY t.active_seconds)
                           FILTER (WHERE t.status = 'SUBMITTED' AND t.active_seconds IS NOT NULL)
                  FROM tasks t WHERE t.campaign_id = ?1 AND t.finished_at IS NOT NULL
                 GROUP BY t.campaign_id, t.annotator_id ORDER BY 2 DESC, 1""".formatted(name))
                .setParameter(1, campaign.id).getResultList();
        Map<String, Agreement.AnnotatorAgreement> agreements = new HashMap<>();
        Map<String, GoldAgreement.AnnotatorGold> gold = new HashMap<>();
        if (campaign.kind == CampaignKind.RANKING) {
            AgreementService.Report report = agreement.report(campaign.id, realNames);
            report.annotators().perAnnotator().forEach(a -> agreements.put(a.annotator(), a));
            report.gold().perAnnotator().forEach(g -> gold.put(g.annotator(), g));
        }
        List<Dashboard.AnnotatorStats> annotators = new ArrayList<>();
        for (Object[] row : rows) {
            String annotator = (String) row[0];
            Agreement.AnnotatorAgreement withOthers = agreements.get(annotator);
            GoldAgreement.AnnotatorGold withGold = gold.get(annotator);
            annotators.add(new Dashboard.AnnotatorStats(annotator, number(row[1]), number(row[2]),
                    row[3] == null ? null : ((Number) row[3]).doubleValue(),
                    row[4] == null ? null : ((Number) row[4]).doubleValue(),
                    withOthers == null ? null : withOthers.pairwiseAgreement(),
                    withGold == null ? null : withGold.agreement(),
                    (withOthers != null && withOthers.flagged()) || (withGold != null && withGold.flagged())));
        }
        return annotators;
    }

    private List<Dashboard.ModelPoint> rewardModel(long campaignId) {
        List<Dashboard.ModelPoint> points = new ArrayList<>();
        for (RewardModelVersion version : RewardModelVersion.<RewardModelVersion>list(
                "status = ?1 order by version", RewardModelVersion.Status.READY)) {
            if (version.campaignIds != null && !Arrays.asList(version.campaignIds).contains(campaignId)) {
                continue;
            }
            TrainingMetrics.Drift drift = version.metrics == null ? null : version.metrics.drift();
            points.add(new Dashboard.ModelPoint(version.version, version.finishedAt, version.heldOutAccuracy(),
                    drift == null ? null : drift.servingVersionAccuracy(), version.promoted));
        }
        return points;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
