"""A local Salesforce org: REST, SOQL, OAuth and Bulk 2.0 over HTTPS, for tests and demos."""
