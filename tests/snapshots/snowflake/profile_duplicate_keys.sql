SELECT mart.wh_fact_touchpoint_kpi.event_date AS date, mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, count(*) AS copies 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.tp_key IN (%(touchpoint_id_1_1)s, %(touchpoint_id_1_2)s) GROUP BY mart.wh_fact_touchpoint_kpi.event_date, mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key 
HAVING count(*) > %(count_1)s ORDER BY mart.wh_fact_touchpoint_kpi.event_date DESC, mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key
 LIMIT %(param_1)s

-- count_1 = 1
-- param_1 = 20
-- touchpoint_id_1_1 = 'tp_buy_store_advice'
-- touchpoint_id_1_2 = 'tp_move_install'
