"""A Japanese local government as the national code table lists it: the type the resolver
finds and the model and the RDF mapping use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["prefecture", "municipality", "special-ward", "designated-city-ward"]


@dataclass(frozen=True, slots=True)
class LocalGovernment:
    """A Japanese local government as the code table lists it."""

    code: str
    name: str
    kana: str
    prefecture: str
    kind: Kind
    parent: str | None
    lat: float | None = None
    lng: float | None = None
    abolished: str | None = None
    successor: str | None = None

    @property
    def label(self) -> str:
        """The name as written in running text (``札幌市北区``)."""
        return self.name.replace(" ", "")

    @property
    def full_label(self) -> str:
        """Name with its prefecture (``群馬県みなかみ町``), unambiguous nationwide."""
        return self.label if self.kind == "prefecture" else self.prefecture + self.label
