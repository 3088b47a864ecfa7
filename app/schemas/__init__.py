"""marshmallow schemas: the single source for validation and the OpenAPI document."""
