"""Public reference records (issue 4): the CNS North Korea missile test database in its two
schemas and the table of North Korea's nuclear tests, read into plain records that the store
will keep apart from extracted events. Only reading and validation live here so far."""

from watchfloor.reference.readers import (
    FORMATS,
    ReferenceRead,
    ReferenceTest,
    RowProblem,
    detect_format,
    read_reference,
)

__all__ = [
    "FORMATS",
    "ReferenceRead",
    "ReferenceTest",
    "RowProblem",
    "detect_format",
    "read_reference",
]
