"""What search engines read: canonical addresses, the NewsArticle JSON-LD, sitemaps and robots.txt (docs/seo.md)."""
