package dev.ranklab.rewardmodel;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What a campaign's data page shows of the serving reward model: how many items it scored, and how often it orders
 * a pair of responses as the annotators did.
 */
public record ModelPanel(Integer version, long items, long itemsScored, long pairs, String agreement,
        boolean running) {

    public static ModelPanel of(CampaignScoring scoring, long campaignId) {
        RewardModelVersion serving = QuarkusTransaction.requiringNew()
                .call(() -> RewardModelVersion.serving());
        if (serving == null) {
            return new ModelPanel(null, 0, 0, 0, "–", false);
        }
        CampaignScoring.Summary summary = scoring.summary(campaignId, serving.version);
        return new ModelPanel(serving.version, summary.items(), summary.itemsScored(), summary.agreement().pairs(),
                VersionRow.percent(summary.agreement().accuracy()), summary.running());
    }

    public boolean complete() {
        return itemsScored == items;
    }
}
