"""Entities: a person (an employee) and an enterprise, a group entity whose members are its employees."""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="An employee",
    is_person=True,
)

Enterprise = build_entity(
    key="enterprise",
    plural="enterprises",
    label="An enterprise settled in the valley",
    roles=[
        {"key": "employee", "plural": "employees", "label": "Employees"},
    ],
)

entities = [Person, Enterprise]
