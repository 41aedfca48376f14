"""Payments: the payment-gateway port, its value types and the errors every gateway raises."""
