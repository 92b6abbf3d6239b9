"""Followed sources: agency feeds and sitemaps polled on a schedule, each new story ingested once."""
