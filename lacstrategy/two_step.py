"""Two-step sign-in with an authenticator app (django-otp), in GOV.UK pages.

After the password, someone with two-step sign-in is asked for the 6-digit code from their app,
or one of their one-time backup codes, before any other page opens (TwoStepMiddleware). Where the
council requires it (Council settings), an administrator without it is sent to set it up first.
Wrong codes are slowed down by django-otp's throttling and count as failed sign-ins for
django-axes, so the usual lock-out applies to them too.
"""

from base64 import b32encode
from binascii import unhexlify

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views import View
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from lacstrategy import permissions, selectors, services
from lacstrategy.forms import ReasonForm
from lacstrategy.record_views import RecordView

# What a signed-in session still has to do before it is fully signed in.
STEP = "two_step"
VERIFY = "verify"
SET_UP = "set_up"
STEP_PAGES = {VERIFY: "two_step_verify", SET_UP: "two_step_setup"}
# The only pages a session with a step to do may open.
OPEN_DURING_STEP = {"logout", "privacy_notice", "accessibility_statement", "help", "contact"}
# The secret key offered on the set-up page, until a code confirms that the app has it.
SETUP_KEY = "two_step_setup_key"
NEW_CODES = "two_step_new_codes"


def step_at_sign_in(user):
    """VERIFY for someone with two-step sign-in, SET_UP for an administrator the council requires
    to have it, else None."""
    if selectors.two_step_device(user=user) is not None:
        return VERIFY
    if selectors.council().admins_need_two_step and permissions.is_administrator.test(user):
        return SET_UP
    return None


def _set_step(session, step):
    if step is None:
        session.pop(STEP, None)
    else:
        session[STEP] = step


def ask_at_sign_in(sender, request, user, **kwargs):
    """On user_logged_in: a new sign-in is never verified by an earlier one's code."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    _set_step(request.session, step_at_sign_in(user))


class TwoStepMiddleware:
    """Sends a session that has not finished signing in to its code or set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = request.session.get(STEP) if hasattr(request, "session") else None
        if step is None or not request.user.is_authenticated:
            return None
        name = request.resolver_match.view_name
        if name == STEP_PAGES[step] or name in OPEN_DURING_STEP:
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(STEP_PAGES[step])}?{query}")


def _next_url(request):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else reverse("home")


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=40,
        error_messages={
            "required": "Enter the code",
            "max_length": "A code is 6 digits, or 8 letters and numbers for a backup code",
        },
    )


def _counts_as_failed_sign_in(request):
    """A wrong code counts towards django-axes' lock-out as a wrong password does; at the limit
    the person is signed out and AxesMiddleware shows the lock-out page."""
    credentials = {"username": request.user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)


class CodePage(View):
    """A page that asks for a current code, then acts with the device that accepted it."""

    page = {}

    def dispatch(self, request, *args, **kwargs):
        permissions.require(request.user, "lacstrategy.own_two_step")
        return super().dispatch(request, *args, **kwargs)

    def page_context(self):
        return self.page

    def render(self, form):
        context = {"form": form, **self.page_context()}
        status = 400 if form.errors else 200
        return render(self.request, "registration/two_step_code.html", context, status=status)

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = services.two_step_check(user=request.user, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
                self.refused()
            else:
                return self.accepted(device)
        return self.render(form)

    def refused(self):
        pass

    def accepted(self, device):
        raise NotImplementedError


class Verify(CodePage):
    """The second step of signing in."""

    page = {
        "heading": "Enter your sign-in code",
        "intro": "Open the authenticator app on your phone and enter the 6-digit code it "
        "shows for this service. If you do not have your phone, enter one of your backup "
        "codes instead.",
        "button": "Continue",
        "signing_in": True,
    }

    def dispatch(self, request, *args, **kwargs):
        step = request.session.get(STEP)
        if step == VERIFY and request.user.is_authenticated:
            # An administrator may have removed the device since the password was given.
            step = step_at_sign_in(request.user)
            _set_step(request.session, step)
        if step != VERIFY:
            return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def page_context(self):
        return {**self.page, "next": _next_url(self.request)}

    def refused(self):
        _counts_as_failed_sign_in(self.request)

    def accepted(self, device):
        next_url = _next_url(self.request)
        self.request.session.cycle_key()  # a new session id for the fully signed-in session
        otp_login(self.request, device)
        del self.request.session[STEP]
        return redirect(next_url)


def _qr_code(device):
    """The app's set-up link as an inline SVG picture: drawn here, so the secret goes nowhere."""
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


def _key_text(key):
    """The secret in the base32 letters that apps ask for, in groups of four to copy."""
    letters = b32encode(unhexlify(key)).decode()
    return " ".join(letters[i : i + 4] for i in range(0, len(letters), 4))


class SetUp(View):
    def dispatch(self, request, *args, **kwargs):
        permissions.require(request.user, "lacstrategy.own_two_step")
        if selectors.two_step_device(user=request.user) is not None:
            return redirect("two_step")  # already on (or the second click of a double-click)
        return super().dispatch(request, *args, **kwargs)

    def render(self, form):
        key = self.request.session.setdefault(SETUP_KEY, random_hex(20))
        device = TOTPDevice(user=get_user_model()(username=self.request.user.get_username()))
        device.key = key
        context = {
            "form": form,
            "qr_code": _qr_code(device),
            "key_text": _key_text(key),
            "required": self.request.session.get(STEP) == SET_UP,
        }
        status = 400 if form.errors else 200
        return render(self.request, "registration/two_step_setup.html", context, status=status)

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            key = request.session.setdefault(SETUP_KEY, random_hex(20))
            try:
                device, codes = services.two_step_set_up(
                    user=request.user, key=key, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                form.add_error("code", error)
            else:
                del request.session[SETUP_KEY]
                request.session.pop(STEP, None)
                otp_login(request, device)  # this session has just shown a code
                request.session[NEW_CODES] = codes
                messages.success(request, "Two-step sign-in is on")
                return redirect("two_step_backup_codes")
        return self.render(form)


def overview(request):
    permissions.require(request.user, "lacstrategy.own_two_step")
    device = selectors.two_step_device(user=request.user)
    context = {
        "device": device,
        "codes_left": selectors.backup_codes_left(user=request.user) if device else 0,
        "admins_need_it": step_at_sign_in(request.user) == SET_UP,
    }
    return render(request, "registration/two_step.html", context)


class BackupCodes(View):
    """New codes are shown once, straight after they are made; after that only made anew."""

    def dispatch(self, request, *args, **kwargs):
        permissions.require(request.user, "lacstrategy.own_two_step")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        context = {
            "codes": request.session.pop(NEW_CODES, None),
            "device": selectors.two_step_device(user=request.user),
        }
        return render(request, "registration/two_step_backup_codes.html", context)

    def post(self, request):
        try:
            request.session[NEW_CODES] = services.backup_codes_renew(user=request.user)
        except ValidationError:
            return redirect("two_step")  # turned off meanwhile, perhaps in another tab
        return redirect("two_step_backup_codes")


class TurnOff(CodePage):
    page = {
        "heading": "Turn off two-step sign-in",
        "intro": "To check that it is you, enter the 6-digit code your authenticator app shows "
        "now, or one of your backup codes. After this you sign in with your password alone, "
        "and your backup codes stop working.",
        "button": "Turn off two-step sign-in",
        "warning_button": True,
    }

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and selectors.two_step_device(user=request.user) is None:
            return redirect("two_step")  # already off, perhaps in another tab
        return super().dispatch(request, *args, **kwargs)

    def page_context(self):
        not_on = selectors.two_step_device(user=self.request.user) is None
        return {**self.page, "not_on": not_on, "cancel_url": reverse("two_step")}

    def accepted(self, device):
        services.two_step_remove(
            user=self.request.user, actor=self.request.user, reason="Turned off by the person"
        )
        messages.success(self.request, "Two-step sign-in is off")
        return redirect("two_step")


class PersonTwoStepRemove(RecordView):
    """An administrator removes someone's two-step sign-in (a lost or replaced phone)."""

    permission = "lacstrategy.remove_two_step"
    template_name = "people/two_step_remove.html"
    queryset = get_user_model().objects.exclude(username=services.SYSTEM_USERNAME)

    def breadcrumbs(self):
        return [
            ("People and roles", reverse("people_list")),
            (str(self.object), self.object.get_absolute_url()),
        ]

    def show(self, form, status=200):
        device = selectors.two_step_device(user=self.object)
        return render(
            self.request, self.template_name, self.context(form=form, device=device), status=status
        )

    def get(self, request, *args, **kwargs):
        return self.show(ReasonForm(required=True))

    def post(self, request, *args, **kwargs):
        form = ReasonForm(request.POST, required=True)
        if not form.is_valid():
            return self.show(form, status=400)
        removed = services.two_step_remove(
            user=self.object, actor=request.user, reason=form.cleaned_data["reason"]
        )
        if removed:
            messages.success(
                request,
                f"Two-step sign-in removed for {self.object}. They sign in with their password "
                "and can set it up again.",
            )
        return redirect(self.object)


urlpatterns = [
    path("accounts/two-step/", overview, name="two_step"),
    path("accounts/two-step/code/", Verify.as_view(), name="two_step_verify"),
    path("accounts/two-step/set-up/", SetUp.as_view(), name="two_step_setup"),
    path("accounts/two-step/backup-codes/", BackupCodes.as_view(), name="two_step_backup_codes"),
    path("accounts/two-step/turn-off/", TurnOff.as_view(), name="two_step_turn_off"),
    path(
        "people/<int:pk>/two-step/remove/",
        PersonTwoStepRemove.as_view(),
        name="person_two_step_remove",
    ),
]
