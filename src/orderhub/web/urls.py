"""The pages' URL table. Every store page carries the store id, so links can be shared."""

from django.contrib.auth import views as auth_views
from django.urls import path

from orderhub.web.views import integrations, order_page, orders, shell, store_settings

app_name = "web"

store = "stores/<int:store_id>/"
order = store + "orders/<int:order_id>/"

urlpatterns = [
    path("", shell.home, name="home"),
    path("login/", shell.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", shell.PasswordChangeView.as_view(), name="password_change"),
    path(store, shell.store_home, name="store_home"),
    path(store + "orders/", orders.order_list, name="all_orders"),
    path(store + "folders/<int:folder_id>/orders/", orders.order_list, name="folder_orders"),
    path(store + "orders/move/", orders.move_orders, name="move_orders"),
    path(store + "orders/add/", orders.add_order, name="add_order"),
    path(order, order_page.order_detail, name="order"),
    path(order + "address/<str:which>/", order_page.address, name="order_address"),
    path(order + "data/<str:field>/", order_page.order_data, name="order_data"),
    path(order + "details/", order_page.details, name="order_details"),
    path(order + "items/", order_page.items, name="order_items"),
    path(order + "items/<int:item_id>/", order_page.update_item, name="order_item"),
    path(order + "items/<int:item_id>/delete/", order_page.delete_item, name="delete_item"),
    path(order + "shipments/", order_page.add_shipment, name="add_shipment"),
    path(
        order + "shipments/<int:shipment_id>/delete/",
        order_page.delete_shipment,
        name="delete_shipment",
    ),
    path(order + "notes/", order_page.add_note, name="add_note"),
    path(order + "history/", order_page.history, name="order_history"),
    path(order + "move/", order_page.move_order, name="move_order"),
    path(store + "settings/", store_settings.store_details, name="store_details"),
    path(store + "settings/folders/", store_settings.folders, name="folders"),
    path(
        store + "settings/folders/<int:folder_id>/rename/",
        store_settings.rename_folder,
        name="rename_folder",
    ),
    path(
        store + "settings/folders/<int:folder_id>/delete/",
        store_settings.delete_folder,
        name="delete_folder",
    ),
    path(store + "settings/api/", store_settings.api_settings, name="api_settings"),
    path(store + "integrations/", integrations.integration_list, name="integrations"),
    path(
        store + "integrations/<str:key>/enable/",
        integrations.enable_integration,
        name="enable_integration",
    ),
    path(
        store + "integrations/<str:key>/disable/",
        integrations.disable_integration,
        name="disable_integration",
    ),
]
