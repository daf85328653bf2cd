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
BatchHandler = Callable[[list[OrderEvent]], None]
_subscribers: dict[type[OrderEvent], dict[str, Handler]] = defaultdict(dict)
_batch_subscribers: dict[type[OrderEvent], dict[str, BatchHandler]] = defaultdict(dict)
_in_transaction: dict[type[OrderEvent], dict[str, Handler]] = defaultdict(dict)


def subscribe(event_type: type[OrderEvent], handler: Handler, *, dispatch_uid: str) -> None:
    """Call `handler` for every committed event of this type (or a subclass)."""
    _subscribers[event_type][dispatch_uid] = handler


def unsubscribe(event_type: type[OrderEvent], *, dispatch_uid: str) -> None:
    _subscribers[event_type].pop(dispatch_uid, None)


def subscribe_many(
    event_type: type[OrderEvent], handler: BatchHandler, *, dispatch_uid: str
) -> None:
    """Call `handler` once per commit with the list of that commit's events of this type.

    For subscribers with a fixed cost per call (a query to learn whether they care at
    all): an import of thousands of orders then pays it once, not once per order.
    """
    _batch_subscribers[event_type][dispatch_uid] = handler


def unsubscribe_many(event_type: type[OrderEvent], *, dispatch_uid: str) -> None:
    _batch_subscribers[event_type].pop(dispatch_uid, None)


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


def _handlers(table: dict, event: OrderEvent):
    for event_type, handlers in list(table.items()):
        if isinstance(event, event_type):
            yield from list(handlers.items())


def publish(event: OrderEvent) -> None:
    """Run the in-transaction handlers now, then deliver `event` once the transaction commits
    (at once outside a transaction)."""
    publish_many([event])


def publish_many(batch: list[OrderEvent]) -> None:
    """`publish` for several events of one transaction, delivered together after commit."""
    batch = list(batch)
    for event in batch:
        for _uid, handler in _handlers(_in_transaction, event):
            handler(event)
    if batch:
        transaction.on_commit(lambda: dispatch_many(batch), robust=True)


def dispatch(event: OrderEvent) -> None:
    dispatch_many([event])


def dispatch_many(batch: list[OrderEvent]) -> None:
    for event in batch:
        for uid, handler in _handlers(_subscribers, event):
            try:
                handler(event)
            except Exception:
                logger.exception("Subscriber %s failed on %s", uid, event)
    for event_type, handlers in list(_batch_subscribers.items()):
        matching = [event for event in batch if isinstance(event, event_type)]
        if not matching:
            continue
        for uid, handler in list(handlers.items()):
            try:
                handler(matching)
            except Exception:
                logger.exception("Subscriber %s failed on %d events", uid, len(matching))
