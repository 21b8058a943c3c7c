from django.urls import path

from groups.views import answers, pages

app_name = "groups"

urlpatterns = [
    path("", pages.GroupListView.as_view(), name="group_list"),
    path("reponse/<str:token>/", answers.answer, name="answer"),
    path("desinscription/<str:token>/", answers.opt_out, name="opt_out"),
    path("<slug:slug>/", pages.GroupDetailView.as_view(), name="group_detail"),
    path("<slug:slug>/calendrier.ics", pages.group_calendar, name="group_calendar"),
    path(
        "<slug:slug>/reunions/<int:pk>/",
        pages.MeetingDetailView.as_view(),
        name="meeting_detail",
    ),
    path(
        "<slug:slug>/reunions/<int:pk>/calendrier.ics",
        pages.meeting_ics,
        name="meeting_ics",
    ),
    path("<slug:slug>/reunions/<int:pk>/repondre/", answers.guest_answer, name="guest_answer"),
]
