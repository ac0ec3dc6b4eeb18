"""Pure functions over small aggregated frames: no I/O, no Streamlit, nothing of ours imported.

Public modules (each declares its names in ``__all__``): ``model`` (the canonical model), ``registry``
(the KPIs), ``status``, ``changes`` (how a change reads), ``samples`` (sample sizes and values from too
few), ``journey_cards`` (the overview's cards), ``formatting`` (numbers, money, changes and dates
through Babel, in English or German), ``i18n`` (text in English or German: ``tr``) and
``i18n_audit`` (which text lacks a translation), ``targets``, ``judgement`` (value, target, status
and trust in one call), ``trust``, ``periods``, ``effectiveness``, ``overview``, ``journey_map``,
``trends``, ``streaks``
(off target N periods in a row), ``owners``, ``budget``, ``what_if``, ``curve_fitting``
(the response curves' forms and batched fit), ``response_curves``,
``curve_uncertainty`` (bootstrap ranges, weak curves), ``reallocation``, ``journey_allocation`` (journey
limits), ``priorities`` (what an owner fixes first), ``kano`` (Kano factors, super-touchpoints),
``action_effects`` (an action's KPI before and after its start), ``spreadsheet_cells`` (text cells
of a downloaded CSV that no spreadsheet runs as a formula) and the ``alerts`` package (its
``__main__`` is a command line).

Private: ``_batch_trf`` (the batch least-squares fitter behind ``response_curves``) and
``_resample_fit`` (the bootstrap's refits behind ``curve_uncertainty``). Nothing is
imported here, so scipy and pandas load only with the module that needs them.
"""

__all__ = ["action_effects", "alerts", "budget", "changes", "curve_fitting", "curve_uncertainty",
           "effectiveness", "formatting", "i18n", "i18n_audit", "journey_allocation", "journey_cards",
           "journey_map", "judgement", "kano", "model", "overview", "owners", "periods", "priorities",
           "reallocation", "registry", "response_curves", "samples", "spreadsheet_cells", "status",
           "streaks", "targets", "trends", "trust", "what_if"]
