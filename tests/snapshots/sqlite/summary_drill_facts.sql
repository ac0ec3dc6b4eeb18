SELECT date(mart.wh_fact_touchpoint_kpi.event_date, 'start of month') AS month, mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, sum(mart.wh_fact_touchpoint_kpi.num_value) AS numerator, sum(mart.wh_fact_touchpoint_kpi.den_value) AS denominator, count(*) AS rows 
FROM mart.wh_fact_touchpoint_kpi 
WHERE date(mart.wh_fact_touchpoint_kpi.event_date, 'start of month') IN (?) OR mart.wh_fact_touchpoint_kpi.tp_key IN (?, ?) GROUP BY date(mart.wh_fact_touchpoint_kpi.event_date, 'start of month'), mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key

-- months_1 = datetime.date(2026, 3, 1)
-- touchpoint_ids_1 = 'tp_buy_store_advice'
-- touchpoint_ids_2 = 'tp_move_install'
