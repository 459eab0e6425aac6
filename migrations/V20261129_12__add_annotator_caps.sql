-- An admin may cap how many tasks one annotator finishes in a campaign (NULL: no cap), so a campaign's data does
-- not come mostly from its fastest annotator.
ALTER TABLE campaigns ADD COLUMN max_tasks_per_annotator integer CHECK (max_tasks_per_annotator > 0);
