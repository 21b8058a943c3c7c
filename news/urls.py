from django.urls import path

from news import feeds
from news.views import articles, issues, subscriptions

app_name = "news"

urlpatterns = [
    path("actualites/", articles.ArticleListView.as_view(), name="article_list"),
    path("actualites/flux.rss", feeds.ArticleFeed(), name="article_rss"),
    path("actualites/flux.atom", feeds.ArticleAtomFeed(), name="article_atom"),
    path("actualites/<slug:slug>/", articles.ArticleDetailView.as_view(), name="article_detail"),
    path("lettre/", issues.IssueListView.as_view(), name="issue_list"),
    path("lettre/abonnement/", subscriptions.subscribe, name="subscribe"),
    path("lettre/abonnement/envoye/", subscriptions.subscription_sent, name="subscription_sent"),
    path(
        "lettre/abonnement/confirmer/<str:token>/",
        subscriptions.confirm,
        name="subscription_confirm",
    ),
    path("lettre/desabonnement/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path(
        "lettre/desabonnement/adresse/<str:token>/",
        subscriptions.unsubscribe_address,
        name="unsubscribe_address",
    ),
    path("lettre/mon-abonnement/", subscriptions.space_box, name="space_box"),
    path("lettre/mon-abonnement/changer/", subscriptions.space_toggle, name="space_toggle"),
    path("lettre/<int:number>/", issues.IssueDetailView.as_view(), name="issue_detail"),
    path(
        "lettre/<int:number>/lire/<str:token>/",
        issues.IssueReadView.as_view(),
        name="issue_read",
    ),
]
