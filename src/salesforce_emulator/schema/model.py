"""The org's schema: objects and fields as describe reports them, loaded from a JSON file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

TEXT_TYPES = frozenset(
    {
        "id",
        "string",
        "textarea",
        "picklist",
        "multipicklist",
        "reference",
        "email",
        "phone",
        "url",
        "combobox",
    }
)
NUMBER_TYPES = frozenset({"currency", "double", "percent", "int"})

_SOAP_TYPES = {
    "id": "tns:ID",
    "reference": "tns:ID",
    "boolean": "xsd:boolean",
    "currency": "xsd:double",
    "double": "xsd:double",
    "percent": "xsd:double",
    "int": "xsd:int",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
    "address": "urn:address",
}

_ADDRESS_PARTS = (
    # (suffix, type, length, label)
    ("Street", "textarea", 255, "Street"),
    ("City", "string", 40, "City"),
    ("State", "string", 80, "State/Province"),
    ("PostalCode", "string", 20, "Zip/Postal Code"),
    ("Country", "string", 80, "Country"),
    ("Latitude", "double", 0, "Latitude"),
    ("Longitude", "double", 0, "Longitude"),
    ("GeocodeAccuracy", "picklist", 40, "Geocode Accuracy"),
)
# JSON key of each component inside the compound address value.
ADDRESS_KEYS = {
    "Street": "street",
    "City": "city",
    "State": "state",
    "PostalCode": "postalCode",
    "Country": "country",
    "Latitude": "latitude",
    "Longitude": "longitude",
    "GeocodeAccuracy": "geocodeAccuracy",
}


@dataclass
class FieldDef:
    """One field of an sObject, with the describe properties the emulator honours."""

    name: str
    type: str
    label: str
    length: int = 0
    precision: int = 0
    scale: int = 0
    digits: int = 0
    createable: bool = True
    updateable: bool = True
    nillable: bool = True
    required: bool = False
    default: object = None
    defaulted_on_create: bool = False
    picklist: tuple[str, ...] = ()
    restricted: bool = False
    reference_to: str | None = None
    relationship_name: str | None = None
    child_relationship_name: str | None = None
    cascade_delete: bool = False
    auto_number: bool = False
    number_format: str | None = None
    compound_field_name: str | None = None
    components: tuple[str, ...] = ()
    custom: bool = False
    external_id: bool = False
    unique: bool = False
    name_field: bool = False
    id_lookup: bool = False
    calculated: bool = False
    system: bool = False

    @property
    def is_compound(self) -> bool:
        return self.type == "address"

    @property
    def stored(self) -> bool:
        """Whether the field has its own column (compound fields are assembled from components)."""
        return not self.is_compound

    @property
    def filterable(self) -> bool:
        return self.type not in ("address", "textarea") or self.length <= 255

    @property
    def sortable(self) -> bool:
        return self.type not in ("address", "multipicklist") and not (
            self.type == "textarea" and self.length > 255
        )

    @property
    def soap_type(self) -> str:
        return _SOAP_TYPES.get(self.type, "xsd:string")


@dataclass
class ChildRelationship:
    name: str
    child_object: str
    field: str
    cascade_delete: bool


@dataclass
class ObjectDef:
    """An sObject type: its fields (looked up case-insensitively) and relationships."""

    name: str
    label: str
    label_plural: str
    key_prefix: str
    custom: bool = False
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    fields: dict[str, FieldDef] = field(default_factory=dict)  # lower-case name -> field
    field_order: list[str] = field(default_factory=list)
    child_relationships: list[ChildRelationship] = field(default_factory=list)

    def field(self, name: str) -> FieldDef | None:
        return self.fields.get(name.lower())

    def ordered_fields(self) -> list[FieldDef]:
        return [self.fields[n.lower()] for n in self.field_order]

    def stored_fields(self) -> list[FieldDef]:
        return [f for f in self.ordered_fields() if f.stored]

    def relationship(self, name: str) -> FieldDef | None:
        """The reference field whose relationshipName is `name` (case-insensitive)."""
        lowered = name.lower()
        for f in self.fields.values():
            if f.relationship_name and f.relationship_name.lower() == lowered:
                return f
        return None

    def child_relationship(self, name: str) -> ChildRelationship | None:
        lowered = name.lower()
        for rel in self.child_relationships:
            if rel.name.lower() == lowered:
                return rel
        return None


class Schema:
    """All sObject types of the org, looked up case-insensitively or by key prefix."""

    def __init__(self, objects: list[ObjectDef]) -> None:
        self.objects = {o.name.lower(): o for o in objects}
        self.by_prefix = {o.key_prefix: o for o in objects}
        for obj in objects:
            for f in obj.fields.values():
                if f.reference_to and f.child_relationship_name:
                    parent = self.objects.get(f.reference_to.lower())
                    if parent is None:
                        raise ValueError(f"{obj.name}.{f.name} refers to unknown {f.reference_to}")
                    parent.child_relationships.append(
                        ChildRelationship(
                            f.child_relationship_name, obj.name, f.name, f.cascade_delete
                        )
                    )

    def get(self, name: str) -> ObjectDef | None:
        return self.objects.get(name.lower())

    def names(self) -> list[str]:
        return sorted(o.name for o in self.objects.values())

    def object_for_id(self, record_id: str) -> ObjectDef | None:
        return self.by_prefix.get(record_id[:3])


def _system_fields(object_name: str) -> list[dict]:
    readonly = {"createable": False, "updateable": False, "system": True}
    return [
        {"name": "Id", "type": "id", "length": 18, "nillable": False, "idLookup": True, **readonly},
        {"name": "IsDeleted", "type": "boolean", "default": False, **readonly},
        {"name": "CreatedDate", "type": "datetime", **readonly, "nillable": False},
        {
            "name": "CreatedById",
            "type": "reference",
            "referenceTo": "User",
            "relationshipName": "CreatedBy",
            **readonly,
        },
        {"name": "LastModifiedDate", "type": "datetime", **readonly, "nillable": False},
        {
            "name": "LastModifiedById",
            "type": "reference",
            "referenceTo": "User",
            "relationshipName": "LastModifiedBy",
            **readonly,
        },
        {"name": "SystemModstamp", "type": "datetime", **readonly, "nillable": False},
    ]


def _label(name: str) -> str:
    base = name.removesuffix("__c").removesuffix("Id") or name
    return base.replace("_", " ")


def _field_from_spec(spec: dict) -> FieldDef:
    ftype = spec["type"]
    required = bool(spec.get("required", False))
    default = spec.get("default")
    length = int(spec.get("length", 0))
    if ftype == "reference":
        length = 18
    elif ftype in ("string", "url", "picklist", "multipicklist") and not length:
        length = 255
    f = FieldDef(
        name=spec["name"],
        type=ftype,
        label=spec.get("label") or _label(spec["name"]),
        length=length,
        precision=int(
            spec.get("precision", 18 if ftype in ("currency", "double", "percent") else 0)
        ),
        scale=int(spec.get("scale", 2 if ftype == "currency" else 0)),
        digits=9 if ftype == "int" else 0,
        createable=bool(spec.get("createable", True)) and not spec.get("autoNumber"),
        updateable=bool(spec.get("updateable", True)) and not spec.get("autoNumber"),
        required=required,
        nillable=(not required and ftype != "boolean" and spec.get("nillable", True)),
        default=default,
        defaulted_on_create=default is not None
        or bool(spec.get("defaultedOnCreate"))
        or ftype == "boolean",
        picklist=tuple(spec.get("values", ())),
        restricted=bool(spec.get("restricted", False)),
        reference_to=spec.get("referenceTo"),
        relationship_name=spec.get("relationshipName"),
        child_relationship_name=spec.get("childRelationshipName"),
        cascade_delete=bool(spec.get("cascadeDelete", False)),
        auto_number=bool(spec.get("autoNumber", False)),
        number_format=spec.get("format"),
        custom=bool(spec.get("custom", spec["name"].endswith("__c"))),
        external_id=bool(spec.get("externalId", False)),
        unique=bool(spec.get("unique", False)),
        name_field=bool(spec.get("nameField", False)),
        id_lookup=bool(spec.get("idLookup", False)) or bool(spec.get("externalId", False)),
        system=bool(spec.get("system", False)),
    )
    if f.auto_number or f.system:
        f.nillable = f.nillable and not f.auto_number
    return f


def _address_fields(spec: dict) -> list[FieldDef]:
    prefix = spec.get("prefix", "")
    compound = _field_from_spec({**spec, "createable": False, "updateable": False})
    parts = []
    for suffix, ftype, length, label in _ADDRESS_PARTS:
        name = f"{prefix}{suffix}"
        part = _field_from_spec(
            {
                "name": name,
                "type": ftype,
                "length": length,
                "label": f"{prefix} {label}".strip(),
                "precision": 18 if ftype == "double" else 0,
                "scale": 15 if ftype == "double" else 0,
                "values": ["Address", "NearAddress", "Block", "Street", "City", "Zip"]
                if ftype == "picklist"
                else [],
            }
        )
        part.compound_field_name = compound.name
        parts.append(part)
    compound.components = tuple(p.name for p in parts)
    return [*parts, compound]


def build_object(spec: dict) -> ObjectDef:
    obj = ObjectDef(
        name=spec["name"],
        label=spec.get("label", spec["name"]),
        label_plural=spec.get("labelPlural", spec.get("label", spec["name"]) + "s"),
        key_prefix=spec["keyPrefix"],
        custom=bool(spec.get("custom", spec["name"].endswith("__c"))),
        createable=bool(spec.get("createable", True)),
        updateable=bool(spec.get("updateable", True)),
        deletable=bool(spec.get("deletable", True)),
    )
    specs = _system_fields(obj.name)[:1] + list(spec["fields"]) + _system_fields(obj.name)[1:]
    for fspec in specs:
        defs = _address_fields(fspec) if fspec["type"] == "address" else [_field_from_spec(fspec)]
        for f in defs:
            if f.name.lower() in obj.fields:
                raise ValueError(f"duplicate field {obj.name}.{f.name}")
            obj.fields[f.name.lower()] = f
            obj.field_order.append(f.name)
    return obj


def load_schema(path: str | Path | None = None) -> Schema:
    """Load a schema JSON file (the packaged default when `path` is None)."""
    if path is None:
        text = resources.files(__package__).joinpath("default_schema.json").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data = json.loads(text)
    return Schema([build_object(spec) for spec in data["objects"]])
