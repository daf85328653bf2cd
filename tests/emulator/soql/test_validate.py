import pytest

from salesforce_emulator import errors
from salesforce_emulator.soql.parser import parse
from salesforce_emulator.soql.validate import validate


def check(schema, soql):
    return validate(parse(soql), schema, soql)


def test_resolves_parent_paths_to_five_levels(schema):
    vq = check(schema, "SELECT Order.Account.Owner.CreatedBy.LastModifiedBy.Name FROM OrderItem")
    resolved = vq.select[0][1]
    assert resolved.names == ("Order", "Account", "Owner", "CreatedBy", "LastModifiedBy", "Name")
    with pytest.raises(errors.MalformedQuery):
        check(
            schema,
            "SELECT Order.Account.Owner.CreatedBy.LastModifiedBy.CreatedBy.Name FROM OrderItem",
        )


def test_unknown_object_is_invalid_type(schema):
    with pytest.raises(errors.InvalidType) as info:
        check(schema, "SELECT Id FROM Foo__c")
    assert "sObject type 'Foo__c' is not supported" in info.value.message
    assert "ERROR at Row:1:Column:16" in info.value.message


def test_unknown_field_is_invalid_field_with_position(schema):
    with pytest.raises(errors.InvalidField) as info:
        check(schema, "SELECT Id, Bogus__c FROM Order")
    assert info.value.message.startswith(
        "\nSELECT Id, Bogus__c FROM Order\n           ^\nERROR at Row:1:Column:12\n"
    )
    assert "No such column 'Bogus__c' on entity 'Order'" in info.value.message


def test_unknown_relationships(schema):
    with pytest.raises(errors.InvalidField, match="Didn't understand relationship 'Acct'"):
        check(schema, "SELECT Acct.Name FROM Order")
    with pytest.raises(errors.InvalidType, match="Didn't understand relationship 'Items'"):
        check(schema, "SELECT Id, (SELECT Id FROM Items) FROM Order")


@pytest.mark.parametrize(
    "where",
    [
        "TotalAmount = '5'",
        "Name = 5",
        "Is_Gift__c = 'true'",
        "EffectiveDate = '2024-01-01'",
        "CreatedDate = 2024-01-01",
        "AccountId = 'nope'",
        "Name INCLUDES ('a')",
        "TotalAmount LIKE '5%'",
    ],
)
def test_type_mismatches(schema, where):
    with pytest.raises(errors.InvalidQueryFilterOperator):
        check(schema, f"SELECT Id FROM Order WHERE {where}")


def test_aggregate_rules(schema):
    with pytest.raises(errors.MalformedQuery, match="Field must be grouped or aggregated: Name"):
        check(schema, "SELECT Name, COUNT(Id) FROM Order GROUP BY Status")
    with pytest.raises(errors.MalformedQuery):
        check(schema, "SELECT Id, COUNT() FROM Order")
    assert check(schema, "SELECT Status, COUNT(Id) n FROM Order GROUP BY Status").aggregate


def test_semi_join_rules(schema):
    assert check(schema, "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Order)")
    with pytest.raises(errors.MalformedQuery, match="'OR' operator"):
        check(
            schema, "SELECT Id FROM Account WHERE Name = 'a' OR Id IN (SELECT AccountId FROM Order)"
        )
    with pytest.raises(errors.MalformedQuery):
        check(schema, "SELECT Id FROM Account WHERE Id IN (SELECT AccountId, Id FROM Order)")


def test_not_filterable_and_not_sortable(schema):
    with pytest.raises(errors.InvalidField, match="can not be filtered"):
        check(schema, "SELECT Id FROM Order WHERE Description = 'x'")
    with pytest.raises(errors.InvalidField, match="can not be sorted"):
        check(schema, "SELECT Id FROM Order ORDER BY Tags__c")


def test_fields_macro_needs_limit(schema):
    with pytest.raises(errors.MalformedQuery, match="LIMIT"):
        check(schema, "SELECT FIELDS(ALL) FROM Order")
    vq = check(schema, "SELECT FIELDS(CUSTOM) FROM Order LIMIT 10")
    assert {r.field.name for _, r in vq.select} >= {"Gift_Message__c", "Tracking_Number__c"}


def test_duplicate_field(schema):
    with pytest.raises(errors.MalformedQuery, match="duplicate field selected"):
        check(schema, "SELECT Id, id FROM Order")


def test_more_errors(schema):
    with pytest.raises(errors.MalformedQuery, match="offset"):
        check(schema, "SELECT Id FROM Order LIMIT 10 OFFSET 2001")
    with pytest.raises(errors.MalformedQuery, match="Nested semi join"):
        check(
            schema,
            "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Order WHERE Id IN (SELECT OrderId FROM OrderItem))",
        )
    with pytest.raises(errors.MalformedQuery, match="Nested subqueries"):
        check(
            schema, "SELECT Id, (SELECT Id, (SELECT Id FROM OrderItems) FROM Orders) FROM Account"
        )
    with pytest.raises(errors.MalformedQuery):
        check(schema, "SELECT SUM(Name) FROM Order")
    with pytest.raises(errors.MalformedQuery):
        check(schema, "SELECT Id FROM Order WHERE Name > null")
    with pytest.raises(errors.InvalidQueryFilterOperator):
        check(schema, "SELECT Id FROM Order WHERE Name IN ('a', 5)")
