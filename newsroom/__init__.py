"""Newsroom: an editorial CMS for news sites that run on agency copy and scraped pages."""

from .celery import app as celery_app

__all__ = ("celery_app",)
