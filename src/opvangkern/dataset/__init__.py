"""Opening a dataset: the manifest, loading its files, the report of each file, the cache."""
