"""Pure functions over small aggregated frames: no I/O, no Streamlit, nothing of ours imported.

Public modules (each declares its names in ``__all__``): ``model`` (the canonical model),
``registry`` (the KPIs), ``status``, ``formatting`` (numbers, money, changes and dates
through Babel, in English or German), ``targets``, ``judgement`` (value, target, status and trust
in one call), ``trust``, ``periods``, ``effectiveness``, ``overview``, ``journey_map``,
``trends``, ``owners``, ``priorities`` (what an owner fixes first), ``streaks`` (off target N
periods in a row), ``kano`` (Kano factors, super-touchpoints), ``action_effects`` (an action's KPI
before and after its start), ``budget``, ``what_if``, ``response_curves``, ``reallocation`` and the
``alerts`` package (its ``__main__`` is a command line).

Private: ``_batch_trf`` (the batch least-squares fitter behind ``response_curves``). Nothing is
imported here, so scipy and pandas load only with the module that needs them.
"""

__all__ = ["action_effects", "alerts", "budget", "effectiveness", "formatting", "journey_map", "judgement",
           "kano", "model", "overview", "owners", "periods", "priorities", "reallocation", "registry",
           "response_curves", "status", "streaks", "targets", "trends", "trust", "what_if"]
