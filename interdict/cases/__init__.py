"""Cases: alerts under investigation, decided with four eyes, every event in the audit chain.

:class:`CaseStore` opens cases from alerts and keeps their life (assign, comment, evidence,
links, close); :mod:`.foureyes` holds the decision rules — a proposal names its author and the
case state it rests on, an approval comes from a different analyst allowed to approve and
refers to that state, a true match freezes at once. :mod:`.policy` sets due dates and who may
approve. Everything is enforced here, below every face.
"""

from interdict.cases.foureyes import ProposalVerdict, approve, propose
from interdict.cases.policy import CasePolicy, load_policy
from interdict.cases.store import CaseStore

__all__ = ["CasePolicy", "CaseStore", "ProposalVerdict", "approve", "load_policy", "propose"]
