-- export: a background job may write a Hugging Face dataset folder as one zip archive (file=hf).
ALTER TABLE export_jobs DROP CONSTRAINT export_jobs_file_check;
ALTER TABLE export_jobs ADD CONSTRAINT export_jobs_file_check CHECK (file IN ('jsonl', 'jsonl.gz', 'parquet', 'hf.zip'));
