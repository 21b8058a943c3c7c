from django.urls import path

from events import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("flux.rss", feeds.EventFeed(), name="event_rss"),
    path("flux.atom", feeds.EventAtomFeed(), name="event_atom"),
    path(
        "mon-inscription/<str:token>/",
        views.RegistrationManageView.as_view(),
        name="registration_manage",
    ),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
    path(
        "<slug:slug>/inscription/",
        views.RegistrationCreateView.as_view(),
        name="registration_create",
    ),
    path(
        "<slug:slug>/inscription/<int:session_pk>/",
        views.RegistrationCreateView.as_view(),
        name="session_registration_create",
    ),
    path(
        "<slug:slug>/inscription/envoyee/",
        views.RegistrationSentView.as_view(),
        name="registration_sent",
    ),
    path("<slug:slug>/calendrier.ics", views.event_ics, name="event_ics"),
]
