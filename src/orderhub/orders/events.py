"""Domain events about orders and the in-process bus that delivers them after commit.

Services publish; subscribers (rules, integrations) register in their AppConfig.ready().
An event is delivered only once its transaction commits, so a rolled-back change emits
nothing; a subscriber that raises is logged and cannot undo the change or stop the others.
Events are plain data that round-trip through JSON, because they also feed queued jobs.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any, ClassVar

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class OrderEvent:
    store_id: int
    order_id: int
    source: str

    registry: ClassVar[dict[str, type[OrderEvent]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        OrderEvent.registry[cls.__name__] = cls

    def to_json(self) -> str:
        return json.dumps({"type": type(self).__name__, **dataclasses.asdict(self)})

    @staticmethod
    def from_json(text: str) -> OrderEvent:
        data = json.loads(text)
        cls = OrderEvent.registry[data.pop("type")]
        return cls(**data)


@dataclasses.dataclass(frozen=True)
class OrderCreated(OrderEvent):
    manual: bool = False


@dataclasses.dataclass(frozen=True)
class OrderImported(OrderEvent):
    pass


@dataclasses.dataclass(frozen=True)
class OrderDetailsChanged(OrderEvent):
    pass


@dataclasses.dataclass(frozen=True)
class OrderAddressChanged(OrderEvent):
    pass


@dataclasses.dataclass(frozen=True)
class OrderDataChanged(OrderEvent):
    pass


@dataclasses.dataclass(frozen=True)
class OrderDeleted(OrderEvent):
    pass


@dataclasses.dataclass(frozen=True)
class FolderChanged(OrderEvent):
    from_folder_id: int = 0
    to_folder_id: int = 0


@dataclasses.dataclass(frozen=True)
class ItemsChanged(OrderEvent):
    pass


@dataclasses.dataclass(frozen=True)
class ShipmentAdded(OrderEvent):
    shipment_id: int = 0


@dataclasses.dataclass(frozen=True)
class ShipmentUpdated(OrderEvent):
    shipment_id: int = 0


@dataclasses.dataclass(frozen=True)
class ShipmentDeleted(OrderEvent):
    shipment_id: int = 0


@dataclasses.dataclass(frozen=True)
class NoteAdded(OrderEvent):
    pass


Handler = Callable[[OrderEvent], None]
_subscribers: dict[type[OrderEvent], dict[str, Handler]] = defaultdict(dict)


def subscribe(event_type: type[OrderEvent], handler: Handler, *, dispatch_uid: str) -> None:
    """Call `handler` for every committed event of this type (or a subclass)."""
    _subscribers[event_type][dispatch_uid] = handler


def unsubscribe(event_type: type[OrderEvent], *, dispatch_uid: str) -> None:
    _subscribers[event_type].pop(dispatch_uid, None)


def publish(event: OrderEvent) -> None:
    """Deliver `event` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: dispatch(event), robust=True)


def dispatch(event: OrderEvent) -> None:
    for event_type, handlers in list(_subscribers.items()):
        if not isinstance(event, event_type):
            continue
        for uid, handler in list(handlers.items()):
            try:
                handler(event)
            except Exception:
                logger.exception("Subscriber %s failed on %s", uid, event)
