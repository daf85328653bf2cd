"""The REST API surface: routes, thin handlers named after Salesforce operations, error rendering."""
