-- Who may work on a campaign: everyone (both lists empty), or the named annotators and the members of the named
-- groups. Groups are labels on users ("team-a", "medical"), kept on the user so that a new team member gets the
-- team's campaigns without editing each campaign.
ALTER TABLE users ADD COLUMN groups text[] NOT NULL DEFAULT '{}';
ALTER TABLE campaigns
    ADD COLUMN assigned_annotators bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN assigned_groups     text[]   NOT NULL DEFAULT '{}';
