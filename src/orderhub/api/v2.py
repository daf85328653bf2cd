"""Order Desk API v2 (placeholder until the API module lands)."""

from ninja import NinjaAPI

api = NinjaAPI(title="OrderHub API v2", version="2", urls_namespace="api-v2")
