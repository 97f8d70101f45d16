from django.urls import path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("token/", views.comment_token, name="token"),
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("reply/<int:article_id>/<int:comment_id>/", views.reply_form, name="reply"),
    path("mine/<int:article_id>/", views.my_comments, name="mine"),
    path("posted/<str:token>/", views.posted, name="posted"),
    path("feed/", feeds.LatestCommentsFeed(), name="feed"),
    path("feed/<int:article_id>/", feeds.ArticleCommentsFeed(), name="article_feed"),
]
