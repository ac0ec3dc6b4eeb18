"""The only code that talks to a warehouse or to the app's own store.

Public modules (each declares its names in ``__all__``): ``settings`` (every setting, resolved
once), ``runtime`` (open settings, warehouse, KPIs and state store the one way), ``warehouse``
(a read-only warehouse through the canonical model), ``mapping`` (the mapping file),
``queries`` (the pages' SQL), ``period_queries`` (several periods of
one KPI or budget question in one statement), ``profile_queries`` (the checks' SQL),
``summary_queries`` (the SQL of the check that the monthly KPI summary agrees with the facts),
``column_types``,
``contacts`` (owners' addresses and data stewards), ``access`` (the access file and the
row-level scope every read carries), ``notify`` (SMTP and webhook transport, alert settings),
``alert_store`` (alert deliveries and mutes), ``alert_digests`` (who gets which alert) and
``alert_delivery`` (sending each alert once), ``actions`` (owners' actions in the state store),
``db_errors`` (a database error in one readable line), ``state`` (the writable store),
``actions`` (owners' actions in the writable store),
``demo`` (the demo warehouse and the writer the test warehouses use) and ``demo_file`` (the demo
as a file, and the day its data ends).

Private modules (leading underscore) serve those only: ``_sql_periods`` (per-dialect date
truncation), ``_spark_sql`` (Spark SQL's table listing and connect errors), ``_demo_catalogue``,
``_demo_facts``, ``_demo_writer`` and ``_yaml_files`` (reading the contacts and access files).
Nothing is imported here,
so importing a submodule never loads the others.
"""

__all__ = ["access", "actions", "alert_delivery", "alert_digests", "alert_store", "column_types", "contacts",
           "db_errors", "demo", "demo_file", "mapping", "notify", "period_queries", "profile_queries",
           "queries", "runtime", "settings", "state", "summary_queries", "warehouse"]
