from django.urls import path

from space.views import documents, pages, sign_in

app_name = "space"

urlpatterns = [
    path("", pages.home, name="home"),
    path("connexion/", sign_in.sign_in_form, name="sign_in"),
    path("connexion/<str:token>/", sign_in.sign_in_link, name="sign_in_link"),
    path("deconnexion/", sign_in.sign_out_view, name="sign_out"),
    path("reunions/<int:pk>/", pages.meeting_detail, name="meeting"),
    path("reunions/<int:pk>/reponse/", pages.answer, name="answer"),
    path("coordonnees/", pages.details, name="details"),
    path("invitations/<int:group_pk>/", pages.invitations, name="invitations"),
    path("mes-donnees.json", pages.my_data, name="my_data"),
    path("effacement/", pages.erasure, name="erasure"),
    path("documents/<int:pk>/", documents.document, name="document"),
]
