"""One router per resource; ``assistant.gateway.app.ROUTERS`` lists them."""
