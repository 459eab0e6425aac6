-- When a campaign's last item received its last annotation, as announced to webhooks (campaign.completed). A
-- background sweep sets it, so that the check is not made by every submission, and clears it when the campaign
-- reopens (new items, a higher overlap). Campaigns complete already are marked so, not announced again.
ALTER TABLE campaigns ADD COLUMN completed_at timestamptz;
UPDATE campaigns c SET completed_at = now()
 WHERE EXISTS (SELECT 1 FROM items i WHERE i.campaign_id = c.id AND i.gold_ranking IS NULL)
   AND NOT EXISTS (SELECT 1 FROM items i WHERE i.campaign_id = c.id AND NOT i.complete AND i.gold_ranking IS NULL);
