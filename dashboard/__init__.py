"""How people see it: the Dash app factory, layout builders, callbacks and Flask routes."""
