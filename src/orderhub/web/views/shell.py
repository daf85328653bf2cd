"""The desk's shell: sign-in, password change, the landing redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from orderhub.stores.queries import folders_with_counts, stores_for_user
from orderhub.web.access import store_for_request
from orderhub.web.forms import PasswordChangeForm


class LoginView(auth_views.LoginView):
    template_name = "web/account/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/account/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("web:home")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Open the first store the user belongs to, or say there is none."""
    store = stores_for_user(request.user).first()
    if store is None:
        return render(request, "web/no_store.html")
    return redirect("web:store_home", store_id=store.id)


@login_required
def store_home(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    first = folders_with_counts(store).first()
    if first is None:
        return redirect("web:all_orders", store_id=store.id)
    return redirect("web:folder_orders", store_id=store.id, folder_id=first.id)
