"""Related articles: keywords, scoring, candidates, list upkeep, and the lists readers see.

``keywords``    the distinctive terms of a story (and the v1 overlap score, kept as a baseline)
``scoring``     how related two stories are, with the reasons; pure Python
``lists``       top-K lists with one item per story cluster; pure Python
``entities``    the entity index related scoring reads, registered by the app that tags entities
``candidates``  candidates from the entity and text indexes, and the cached corpus statistics
``refresh``     the writes: an article's list, its neighbours' lists, withdrawal, editors' changes
``display``     the list shown with an article: pins, links from the page, computed neighbours
``cache``       that list as the API and the widget serve it, cached and invalidated by generation
``http``        the HTTP caching headers of related responses

Nothing is imported here, so the pure modules load without Django.
"""
