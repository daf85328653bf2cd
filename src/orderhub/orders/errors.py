"""Domain errors raised by orders.services; the API and pages translate them at the edge."""


class OrderError(Exception):
    """Base class: the message is shown to the user as it is."""


class OrderNotFound(OrderError):
    pass


class FolderNotFound(OrderError):
    pass


class ItemNotFound(OrderError):
    pass


class ShipmentNotFound(OrderError):
    pass


class ShipmentNotAdded(OrderError):
    """Order Desk's answer when a shipment with the same tracking number already exists."""

    def __init__(self, message: str = "Shipment Not Added") -> None:
        super().__init__(message)


class InvalidOrder(OrderError):
    pass


class FolderInUse(OrderError):
    pass
