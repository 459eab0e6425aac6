-- Whether a ranking must carry a 1–7 rating for every response (the InstructGPT template, and the default) or
-- ratings are optional, which lets a pairwise campaign (K = 2) be answered with one key.
ALTER TABLE campaigns
    ADD COLUMN ratings_required boolean NOT NULL DEFAULT true;
