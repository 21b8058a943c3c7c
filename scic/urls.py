from django.urls import path

from scic import views

app_name = "scic"

urlpatterns = [
    path("assemblee/reponse/<str:token>/", views.ReplyView.as_view(), name="reply"),
    path("assemblee/reponse/<str:token>/calendrier.ics", views.assembly_ics, name="assembly_ics"),
]
