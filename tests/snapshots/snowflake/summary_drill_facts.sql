SELECT CAST(date_trunc('month', mart.wh_fact_touchpoint_kpi.event_date) AS DATE) AS month, mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, sum(mart.wh_fact_touchpoint_kpi.num_value) AS numerator, sum(mart.wh_fact_touchpoint_kpi.den_value) AS denominator, count(*) AS "rows" 
FROM mart.wh_fact_touchpoint_kpi 
WHERE CAST(date_trunc('month', mart.wh_fact_touchpoint_kpi.event_date) AS DATE) IN (%(months_1)s) OR mart.wh_fact_touchpoint_kpi.tp_key IN (%(touchpoint_ids_1)s, %(touchpoint_ids_2)s) GROUP BY CAST(date_trunc('month', mart.wh_fact_touchpoint_kpi.event_date) AS DATE), mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key

-- months_1 = datetime.date(2026, 3, 1)
-- touchpoint_ids_1 = 'tp_buy_store_advice'
-- touchpoint_ids_2 = 'tp_move_install'
