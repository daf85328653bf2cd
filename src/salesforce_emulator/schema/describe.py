"""Describe results (describeGlobal and sObject describe) rendered from the schema."""

from __future__ import annotations

from .model import FieldDef, ObjectDef, Schema


def object_urls(obj: ObjectDef, version: str) -> dict:
    base = f"/services/data/v{version}/sobjects/{obj.name}"
    return {
        "compactLayouts": f"{base}/describe/compactLayouts",
        "rowTemplate": f"{base}/{{ID}}",
        "defaultValues": f"{base}/defaultValues?recordTypeId&fields",
        "describe": f"{base}/describe",
        "sobject": base,
    }


def global_entry(obj: ObjectDef, version: str) -> dict:
    """One entry of describeGlobal's `sobjects` list."""
    return {
        "activateable": False,
        "createable": obj.createable,
        "custom": obj.custom,
        "customSetting": False,
        "deepCloneable": False,
        "deletable": obj.deletable,
        "deprecatedAndHidden": False,
        "feedEnabled": False,
        "hasSubtypes": False,
        "isInterface": False,
        "isSubtype": False,
        "keyPrefix": obj.key_prefix,
        "label": obj.label,
        "labelPlural": obj.label_plural,
        "layoutable": True,
        "mergeable": obj.name in ("Account", "Contact"),
        "mruEnabled": True,
        "name": obj.name,
        "queryable": True,
        "replicateable": True,
        "retrieveable": True,
        "searchable": True,
        "triggerable": True,
        "undeletable": obj.deletable,
        "updateable": obj.updateable,
        "urls": object_urls(obj, version),
    }


def describe_global(schema: Schema, version: str) -> dict:
    return {
        "encoding": "UTF-8",
        "maxBatchSize": 200,
        "sobjects": [global_entry(schema.get(n), version) for n in schema.names()],
    }


def _byte_length(f: FieldDef) -> int:
    return (
        f.length * 3
        if f.type not in ("boolean", "int", "double", "currency", "percent", "date", "datetime")
        else 0
    )


def describe_field(obj: ObjectDef, f: FieldDef) -> dict:
    is_number = f.type in ("currency", "double", "percent")
    return {
        "aggregatable": f.type not in ("textarea", "address", "multipicklist"),
        "autoNumber": f.auto_number,
        "byteLength": _byte_length(f),
        "calculated": f.calculated,
        "calculatedFormula": None,
        "cascadeDelete": f.cascade_delete,
        "caseSensitive": False,
        "compoundFieldName": f.compound_field_name,
        "controllerName": None,
        "createable": f.createable,
        "custom": f.custom,
        "defaultValue": f.default if f.type != "picklist" else None,
        "defaultValueFormula": None,
        "defaultedOnCreate": f.defaulted_on_create,
        "dependentPicklist": False,
        "deprecatedAndHidden": False,
        "digits": f.digits,
        "displayLocationInDecimal": False,
        "encrypted": False,
        "externalId": f.external_id,
        "extraTypeInfo": None,
        "filterable": f.filterable,
        "filteredLookupInfo": None,
        "groupable": f.type
        not in ("textarea", "address", "double", "currency", "percent", "datetime"),
        "highScaleNumber": False,
        "htmlFormatted": False,
        "idLookup": f.id_lookup,
        "inlineHelpText": None,
        "label": f.label,
        "length": f.length
        if not is_number and f.type not in ("boolean", "int", "date", "datetime")
        else 0,
        "mask": None,
        "maskType": None,
        "name": f.name,
        "nameField": f.name_field,
        "namePointing": False,
        "nillable": f.nillable,
        "permissionable": f.custom and f.nillable,
        "picklistValues": [
            {
                "active": True,
                "defaultValue": value == f.default,
                "label": value,
                "validFor": None,
                "value": value,
            }
            for value in f.picklist
        ],
        "polymorphicForeignKey": False,
        "precision": f.precision if is_number else 0,
        "queryByDistance": False,
        "referenceTargetField": None,
        "referenceTo": [f.reference_to] if f.reference_to else [],
        "relationshipName": f.relationship_name,
        "relationshipOrder": 0 if f.cascade_delete else None,
        "restrictedDelete": False,
        "restrictedPicklist": f.restricted,
        "scale": f.scale if is_number else 0,
        "searchPrefilterable": False,
        "soapType": f.soap_type,
        "sortable": f.sortable,
        "type": f.type,
        "unique": f.unique,
        "updateable": f.updateable,
        "writeRequiresMasterRead": False,
    }


def describe_sobject(schema: Schema, obj: ObjectDef, version: str) -> dict:
    """The full DescribeSObjectResult for one object."""
    result = global_entry(obj, version)
    result.pop("urls")
    result.update(
        {
            "actionOverrides": [],
            "childRelationships": [
                {
                    "cascadeDelete": rel.cascade_delete,
                    "childSObject": rel.child_object,
                    "deprecatedAndHidden": False,
                    "field": rel.field,
                    "junctionIdListNames": [],
                    "junctionReferenceTo": [],
                    "relationshipName": rel.name,
                    "restrictedDelete": False,
                }
                for rel in obj.child_relationships
            ],
            "compactLayoutable": True,
            "fields": [describe_field(obj, f) for f in obj.ordered_fields()],
            "listviewable": None,
            "lookupLayoutable": None,
            "namedLayoutInfos": [],
            "networkScopeFieldName": None,
            "recordTypeInfos": [],
            "searchLayoutable": True,
            "supportedScopes": [{"label": "All records", "name": "everything"}],
            "urls": object_urls(obj, version),
        }
    )
    return result
