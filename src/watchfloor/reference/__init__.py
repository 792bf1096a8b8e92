"""Public reference records (issue 4): the CNS North Korea missile test database in its two
schemas and the table of North Korea's nuclear tests, read into plain records (readers) that
the store keeps apart from extracted events, and grouped into launch events dated by the local
day (launches)."""

from watchfloor.reference.readers import (
    FORMATS,
    ReferenceRead,
    ReferenceSet,
    ReferenceTest,
    RowProblem,
    detect_format,
    read_reference,
)

__all__ = [
    "FORMATS",
    "ReferenceRead",
    "ReferenceSet",
    "ReferenceTest",
    "RowProblem",
    "detect_format",
    "read_reference",
]
