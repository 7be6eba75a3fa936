"""People change their own password, and reset a forgotten one by e-mail: Django's own views,
in GOV.UK pages. The reset page says the same whether or not an address is known, so that it
cannot be used to find out who has an account."""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from lacstrategy.selectors import council

TEMPLATE = "registration/password_form.html"
LABELS = {
    "old_password": "Your current password",
    "new_password1": "New password",
    "new_password2": "Type the new password again",
    "email": "Email address",
}


class PlainLabels:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            form_field.label = LABELS.get(name, form_field.label)


class ChangeForm(PlainLabels, auth_forms.PasswordChangeForm):
    pass


class SetForm(PlainLabels, auth_forms.SetPasswordForm):
    pass


class ResetForm(PlainLabels, auth_forms.PasswordResetForm):
    pass


class ResetRequest(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = TEMPLATE
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    extra_context = {
        "heading": "Reset your password",
        "intro": "Enter the work e-mail address of your account. We will send a link to "
        "choose a new password.",
        "button": "Send the link",
        "next_link": reverse_lazy("login"),
        "next_label": "Back to sign in",
    }

    def form_valid(self, form):
        self.extra_email_context = {
            "service_name": council().service_name,
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().form_valid(form)


urlpatterns = [
    path("accounts/password/reset/", ResetRequest.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=TEMPLATE,
            extra_context={
                "heading": "Check your e-mail",
                "intro": "If the address belongs to an account, a link to choose a new "
                "password is on its way. It works once, within three days. If nothing "
                "arrives, check the address with your administrator.",
                "next_link": reverse_lazy("login"),
                "next_label": "Back to sign in",
            },
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetForm,
            template_name=TEMPLATE,
            extra_context={
                "heading": "Choose a new password",
                "button": "Save the new password",
                "intro": "",
            },
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=TEMPLATE,
            extra_context={
                "heading": "Your password has been changed",
                "next_link": reverse_lazy("login"),
                "next_label": "Sign in",
            },
        ),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(
            form_class=ChangeForm,
            template_name=TEMPLATE,
            extra_context={
                "heading": "Change your password",
                "button": "Change the password",
                "next_link": reverse_lazy("home"),
                "next_label": "Cancel",
            },
        ),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name=TEMPLATE,
            extra_context={
                "heading": "Your password has been changed",
                "next_link": reverse_lazy("home"),
                "next_label": "Go to the home page",
            },
        ),
        name="password_change_done",
    ),
]
