package dev.ranklab.campaigns;

/** The order in which a campaign's queue serves items. */
public enum QueuePolicy {
    /** Items closest to their overlap first, then in import order: finishes items, spreads nothing thin. */
    MOST_ANNOTATED_FIRST,
    /**
     * Active learning: items whose responses the serving reward model separates least first (smallest score gap),
     * then as above; items not scored yet come last.
     */
    UNCERTAINTY_FIRST
}
