"""The blog: posts, their slugs, revisions and images, one renderer, notebook snapshots,
search and feeds."""
