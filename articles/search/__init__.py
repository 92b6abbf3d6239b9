"""The public search page: websearch syntax, ranked and highlighted, bounded in time."""
