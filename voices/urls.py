from django.urls import path

from voices import views

app_name = "voices"

urlpatterns = [
    path("", views.latest_you_said_we_did, name="latest"),
    path("strategies/<int:pk>/", views.you_said_we_did, name="you_said_we_did"),
    path("strategies/<int:pk>/new/", views.VoiceCreate.as_view(), name="voice_create"),
    path("<int:pk>/", views.VoiceDetail.as_view(), name="voice_detail"),
    path("<int:pk>/edit/", views.VoiceEdit.as_view(), name="voice_edit"),
    path("<int:pk>/delete/", views.VoiceDelete.as_view(), name="voice_delete"),
    path("<int:pk>/response/", views.ResponseEdit.as_view(), name="response_edit"),
]
