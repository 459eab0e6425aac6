-- The grouped, nested cross-validation of a full training (mean, 95% interval, "shorter wins" on the same folds),
-- and the promotion gate's reason when it refused a version. Both owned by the rewardmodel feature.
ALTER TABLE reward_models ADD COLUMN cross_validation jsonb;
ALTER TABLE reward_models ADD COLUMN refused_reason text;
COMMENT ON COLUMN reward_models.cross_validation IS 'owned by rewardmodel: grouped k-fold cross-validation by prompt group';
COMMENT ON COLUMN reward_models.refused_reason IS 'owned by rewardmodel: why the promotion gate refused the version';

-- Metrics are a typed record, absent until a training finishes.
ALTER TABLE reward_models ALTER COLUMN metrics DROP NOT NULL;
ALTER TABLE reward_models ALTER COLUMN metrics DROP DEFAULT;
UPDATE reward_models SET metrics = NULL WHERE metrics = '{}'::jsonb;
