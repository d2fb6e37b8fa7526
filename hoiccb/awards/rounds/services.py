"""Writes of rounds, the entry point callers use: a round opened here; its quotas and share-out
(quotas.py), nominations and their steps (nominations.py), council votes (votes.py) and
decisions (decisions.py) in modules of their own, re-exported below.

Each service checks the actor's scope again, validates with full_clean(), and writes an
audit row (AwardEvent or NominationEvent) in the same transaction.
"""

from django.db import transaction

from hoiccb.accounts.models import User
from hoiccb.awards.access import require_manage_awards
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.rounds.decisions import decision_amend, decision_issue
from hoiccb.awards.rounds.models import Round
from hoiccb.awards.rounds.nominations import TRANSITIONS, nominate, nomination_edit, transition
from hoiccb.awards.rounds.quotas import quota_set, share_adjust
from hoiccb.awards.rounds.votes import record_vote, record_votes, vote_passes
from hoiccb.org.audit import record
from hoiccb.org.models import Unit

__all__ = [
    "TRANSITIONS",
    "decision_amend",
    "decision_issue",
    "nominate",
    "nomination_edit",
    "quota_set",
    "record_vote",
    "record_votes",
    "round_create",
    "share_adjust",
    "transition",
    "vote_passes",
]


@transaction.atomic
def round_create(*, actor: User, unit: Unit, **fields) -> Round:
    require_manage_awards(actor, unit)
    rnd = Round(unit=unit, **fields)
    rnd.full_clean()
    rnd.save()
    record(AwardEvent, actor=actor, unit=unit, action="round_create", summary=f"Mở đợt khen thưởng {rnd}")
    return rnd
