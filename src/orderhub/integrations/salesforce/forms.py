"""Reading the settings page's form into the settings' JSON shape (validation happens in
services.check_settings, so the page, the CLI and tests share one set of rules)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import QueryDict

from orderhub.integrations.salesforce.config import SalesforceSettings

TEXT_KEYS = (
    "order_object",
    "order_item_object",
    "filter_field",
    "order_prefix",
    "shipment_details_field",
    "order_number_field",
    "item_name_field",
    "item_price_field",
    "item_quantity_field",
    "item_code_field",
)
LIST_KEYS = ("rule_builder_order_objects", "rule_builder_item_objects")


def _rows(post: QueryDict, prefix: str) -> list[dict]:
    rows = []
    for field, destination, key in zip(
        post.getlist(f"{prefix}-field"),
        post.getlist(f"{prefix}-destination"),
        post.getlist(f"{prefix}-key"),
        strict=False,
    ):
        if field.strip() or key.strip():
            rows.append({"field": field.strip(), "destination": destination, "key": key.strip()})
    return rows


def settings_from_post(post: QueryDict, current: SalesforceSettings) -> dict:
    """The settings a submitted page asks for. Keys the page did not send keep their value."""
    data = current.model_dump(mode="json")
    for key in TEXT_KEYS:
        if key in post:
            data[key] = post.get(key, "").strip() if key != "order_prefix" else post.get(key, "")
    if "check_interval_minutes" in post:
        interval = post.get("check_interval_minutes", "")
        data["check_interval_minutes"] = (
            int(interval) if interval.lstrip("-").isdigit() else interval
        )
    if "folder_id" in post:
        folder = post.get("folder_id", "")
        data["folder_id"] = int(folder) if folder.isdigit() else None
    if "filter_value" in post:
        data["filter_value"] = post.get("filter_value")
    for key in ("sync_tracking_numbers", "advanced_enabled"):
        if f"{key}-present" in post:
            data[key] = post.get(key) in ("on", "true", "1")
    for key in LIST_KEYS:
        if f"{key}-present" in post:
            data[key] = post.getlist(key)
    for key in ("custom_order_fields", "custom_item_fields"):
        if f"{key}-present" in post:
            data[key] = _rows(post, key)
    if "visible_objects-present" in post:
        data["visible_objects"] = post.getlist("visible_objects")
    return data


class ClientCredentialsForm(forms.Form):
    endpoint_url = forms.CharField(
        label="Endpoint URL",
        help_text="Your My Domain URL, e.g. https://yoursite.my.salesforce.com",
    )
    client_id = forms.CharField(label="Client ID (Consumer Key)")
    client_secret = forms.CharField(
        label="Client Secret (Consumer Secret)", widget=forms.PasswordInput
    )


class ConnectForm(forms.Form):
    LOGIN_CHOICES = [
        ("production", "Production (login.salesforce.com)"),
        ("sandbox", "Sandbox (test.salesforce.com)"),
        ("my_domain", "My Domain"),
    ]
    login_host = forms.ChoiceField(choices=LOGIN_CHOICES, initial="production")
    my_domain = forms.CharField(required=False, label="My Domain URL")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("login_host") == "my_domain" and not cleaned.get("my_domain", "").strip():
            self.add_error(
                "my_domain", "Enter your My Domain URL, e.g. https://yoursite.my.salesforce.com"
            )
        return cleaned


class ManualImportForm(forms.Form):
    since = forms.DateField(
        label="Import orders created on or after",
        input_formats=["%Y-%m-%d"],  # what a date input sends; 01/05 is ambiguous
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD", "required": "Choose a date"},
    )

    def clean_since(self) -> date:
        since = self.cleaned_data["since"]
        if since > date.today():
            raise forms.ValidationError("The date is in the future: no orders could match")
        return since
