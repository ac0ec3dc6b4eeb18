SELECT mart.wh_fact_touchpoint_kpi.event_date AS date, mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, mart.wh_fact_touchpoint_kpi.num_value AS numerator, mart.wh_fact_touchpoint_kpi.den_value AS denominator 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.event_date IS NULL OR mart.wh_fact_touchpoint_kpi.tp_key IS NULL OR mart.wh_fact_touchpoint_kpi.kpi_key IS NULL ORDER BY mart.wh_fact_touchpoint_kpi.event_date DESC, mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key
 LIMIT %(param_1)s

-- param_1 = 20
