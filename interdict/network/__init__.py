"""Networks around designated parties: exposure of accounts within k hops of list matches."""

from interdict.network.exposure import Exposure, Seed, exposure_of_table, spread_exposure
from interdict.network.seeds import seeds_from_accounts

__all__ = ["Exposure", "Seed", "exposure_of_table", "seeds_from_accounts", "spread_exposure"]
