"""Rails: the boundaries an agent keeps, decided before retrieval and checked on what it says.

A boundary model (contract.py; by default the bundled classifier, bundled.py) judges each
question: harmful, an attack on the agent, a question about what it is, or safe; avoided
topics are matched by meaning (avoid.py) and keep their passages out of answers; the guard
(guard.py) turns all of it into a verdict; leaks.py checks text the agent writes itself;
reach.py shows an owner what each avoided topic keeps out.
"""

from onrecord.rails.contract import BoundaryModel, Judgement, get_model, registry
from onrecord.rails.guard import REFUSAL, SELF_HARM, Guard, Verdict
from onrecord.rails.leaks import Leak, find_leaks, leaks
from onrecord.rails.models import boundary_model

__all__ = [
    "REFUSAL",
    "SELF_HARM",
    "BoundaryModel",
    "Guard",
    "Judgement",
    "Leak",
    "Verdict",
    "boundary_model",
    "find_leaks",
    "get_model",
    "leaks",
    "registry",
]
