from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("how-it-is-going/", views.measures, name="measures"),
    path("how-it-is-going/<int:pk>/", views.measure, name="measure"),
    path("how-it-is-going/<int:pk>/figures.csv", views.measure_csv, name="measure_csv"),
    path("texts/", views.texts, name="texts"),
    path("texts/<str:label>/<int:pk>/approve/", views.text_approve, name="text_approve"),
    path("texts/<str:label>/<int:pk>/withdraw/", views.text_withdraw, name="text_withdraw"),
]
