from django.urls import path

from events import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("flux.rss", feeds.EventFeed(), name="event_rss"),
    path("flux.atom", feeds.EventAtomFeed(), name="event_atom"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<slug:slug>/calendrier.ics", views.event_ics, name="event_ics"),
]
