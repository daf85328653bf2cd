"""OrderHub: an order desk with an Order Desk-compatible API and a Salesforce integration."""
