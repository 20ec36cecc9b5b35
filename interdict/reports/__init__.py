"""Reports to the FIU: goAML XML (:mod:`.goaml`) and ISO 20022 information requests
(:mod:`.iso20022`), both written only from an approved case and validated before writing."""

__all__: list[str] = []
