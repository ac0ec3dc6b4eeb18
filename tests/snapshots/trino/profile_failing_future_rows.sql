SELECT mart.wh_fact_touchpoint_kpi.event_date AS date, mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, mart.wh_fact_touchpoint_kpi.num_value AS numerator, mart.wh_fact_touchpoint_kpi.den_value AS denominator 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.event_date >= :date_1 ORDER BY mart.wh_fact_touchpoint_kpi.event_date DESC, mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key
LIMIT :param_1

-- date_1 = datetime.date(2026, 11, 23)
-- param_1 = 20
