from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="group_list"),
    path("<slug:slug>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("<slug:slug>/calendrier.ics", views.group_calendar, name="group_calendar"),
    path(
        "<slug:slug>/reunions/<int:pk>/",
        views.MeetingDetailView.as_view(),
        name="meeting_detail",
    ),
    path(
        "<slug:slug>/reunions/<int:pk>/calendrier.ics",
        views.meeting_ics,
        name="meeting_ics",
    ),
]
