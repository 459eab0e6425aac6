package dev.ranklab.campaigns;

/** What annotators do in a campaign. */
public enum CampaignKind {
    /** Rate and rank K model responses to a prompt, ties allowed. */
    RANKING,
    /** Write the ideal answer to a prompt. */
    DEMONSTRATION
}
