"""ISO 20022 information requests: read an FIU's auth.001 (:mod:`.auth001`) and auth.003
status updates, answer with auth.002 (:mod:`.auth002`) once a second analyst approves."""

from interdict.reports.iso20022.auth001 import InformationRequest, read_information_request
from interdict.reports.iso20022.auth002 import write_response

__all__ = ["InformationRequest", "read_information_request", "write_response"]
