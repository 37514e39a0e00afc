"""Resolution of mentions to parties: Japanese code table, foreign places, curated decisions."""
