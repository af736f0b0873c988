"""Text stages: normalization, language identification, sentences and tokens."""
