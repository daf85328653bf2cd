"""Domain events about orders and the in-process bus that delivers them after commit.

Services publish; subscribers (rules, integrations) register in their AppConfig.ready().
An event is delivered only once its transaction commits, so a rolled-back change emits
nothing; a subscriber that raises is logged and cannot undo the change or stop the others.
Events are plain data that round-trip through JSON, because they also feed queued jobs.

A second, synchronous channel (`subscribe_in_transaction`) exists for one purpose only:
writing an outbox row in the same transaction as the change (an integration's pending
push). Its handlers run inside the service's transaction when the event is published;
one that raises rolls the whole change back. Anything else belongs after commit.
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
_in_transaction: dict[type[OrderEvent], dict[str, Handler]] = defaultdict(dict)


def subscribe(event_type: type[OrderEvent], handler: Handler, *, dispatch_uid: str) -> None:
    """Call `handler` for every committed event of this type (or a subclass)."""
    _subscribers[event_type][dispatch_uid] = handler


def unsubscribe(event_type: type[OrderEvent], *, dispatch_uid: str) -> None:
    _subscribers[event_type].pop(dispatch_uid, None)


def subscribe_in_transaction(
    event_type: type[OrderEvent], handler: Handler, *, dispatch_uid: str
) -> None:
    """Call `handler` inside the publishing transaction, before commit. Only for outbox writes.

    The handler must only write rows that belong with the change (an outbox row); it must
    not call remote systems. If it raises, the exception propagates and the change is
    rolled back, so a change never commits without its outbox row.
    """
    _in_transaction[event_type][dispatch_uid] = handler


def unsubscribe_in_transaction(event_type: type[OrderEvent], *, dispatch_uid: str) -> None:
    _in_transaction[event_type].pop(dispatch_uid, None)


def _handlers(table: dict[type[OrderEvent], dict[str, Handler]], event: OrderEvent):
    for event_type, handlers in list(table.items()):
        if isinstance(event, event_type):
            yield from list(handlers.items())


def publish(event: OrderEvent) -> None:
    """Run the in-transaction handlers now, then deliver `event` once the transaction commits
    (at once outside a transaction)."""
    for _uid, handler in _handlers(_in_transaction, event):
        handler(event)
    transaction.on_commit(lambda: dispatch(event), robust=True)


def dispatch(event: OrderEvent) -> None:
    for uid, handler in _handlers(_subscribers, event):
        try:
            handler(event)
        except Exception:
            logger.exception("Subscriber %s failed on %s", uid, event)
