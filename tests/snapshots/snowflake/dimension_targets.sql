SELECT mart.wh_target.kpi_key AS kpi_id, mart.wh_target.scope AS scope, mart.wh_target.scope_id AS scope_id, mart.wh_target.valid_from AS valid_from, mart.wh_target.valid_until AS valid_to, mart.wh_target.target_value AS target, mart.wh_target.tolerance AS tolerance, mart.wh_target.stretch AS stretch 
FROM mart.wh_target

