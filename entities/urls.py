"""Public pages: one per entity."""

from django.urls import path

from entities import views

app_name = "entities"

urlpatterns = [
    path("<slug:slug>/", views.entity_detail, name="entity_detail"),
]
