"""The models of the awards app, as Django loads them (app_label "awards").

Each subdomain keeps its rows in its own package; this module only gathers them:
movements and ratings (`movements`), forms, rounds, quotas, nominations and decisions
(`rounds`), yearly registration (`registration`), the documents' rows (`documents`), the
award history and its imports (`history`), and the audit trail (`audit`). Unit-owned rows
carry `unit_path` copies, re-pathed by `hoiccb.org.unit_owned`.
"""

from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.documents.models import CertificateJob, CitationUse, JobState, LegalCitation, UpwardDossier
from hoiccb.awards.history.models import AwardImport, AwardImportState, AwardRecord
from hoiccb.awards.movements.models import MemberRating, Movement, RatingBand, UnitRating
from hoiccb.awards.registration.models import Registration, RegistrationException
from hoiccb.awards.rounds.models import (
    HOLDING_STATES,
    AwardForm,
    Decision,
    IssuingLevel,
    Nomination,
    NominationAction,
    NominationEvent,
    NominationState,
    Quota,
    QuotaBasis,
    Recipient,
    Round,
    RoundState,
    Share,
)

__all__ = [
    "HOLDING_STATES",
    "AwardEvent",
    "AwardForm",
    "AwardImport",
    "AwardImportState",
    "AwardRecord",
    "CertificateJob",
    "CitationUse",
    "Decision",
    "IssuingLevel",
    "JobState",
    "LegalCitation",
    "MemberRating",
    "Movement",
    "Nomination",
    "NominationAction",
    "NominationEvent",
    "NominationState",
    "Quota",
    "QuotaBasis",
    "RatingBand",
    "Recipient",
    "Registration",
    "RegistrationException",
    "Round",
    "RoundState",
    "Share",
    "UnitRating",
    "UpwardDossier",
]
