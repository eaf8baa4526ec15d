"""The htkg web service (Flask app, blueprints) and the htkg command line."""
