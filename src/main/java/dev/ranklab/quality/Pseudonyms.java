package dev.ranklab.quality;

/** How annotators are named outside the admin pages: the same pseudonym in every export and report. */
public final class Pseudonyms {

    private Pseudonyms() {
    }

    /**
     * SQL for the name of the annotator of table alias {@code alias} (which has campaign_id and annotator_id).
     * Pseudonyms are stable per campaign and installation; an admin may ask for usernames instead.
     */
    public static String sql(String alias, boolean realNames) {
        if (realNames) {
            return "(SELECT username FROM users WHERE id = " + alias + ".annotator_id)";
        }
        return "('annotator-' || substr(md5((SELECT value FROM instance_settings WHERE key = 'pseudonym_salt') || ':' "
                + "|| " + alias + ".campaign_id || ':' || " + alias + ".annotator_id), 1, 12))";
    }
}
