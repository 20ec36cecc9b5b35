"""goAML reports: the FIU's XSD (:mod:`.xsd`, :mod:`.patterns`), the report tree
(:mod:`.builder`), rendering and validation (:mod:`.writer`), and :func:`export_goaml`."""

from interdict.reports.goaml.export import export_goaml
from interdict.reports.goaml.xsd import FiuSchema, load_fiu_schema

__all__ = ["FiuSchema", "export_goaml", "load_fiu_schema"]
