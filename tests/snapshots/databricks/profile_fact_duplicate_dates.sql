SELECT anon_1.touchpoint_id, anon_1.kpi_id, min(anon_1.date) AS duplicate_from, max(anon_1.date) AS duplicate_to 
FROM (SELECT mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, mart.wh_fact_touchpoint_kpi.event_date AS date 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.tp_key IN (:`touchpoint_id_1_1`, :`touchpoint_id_1_2`) AND mart.wh_fact_touchpoint_kpi.event_date IS NOT NULL GROUP BY mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key, mart.wh_fact_touchpoint_kpi.event_date 
HAVING count(*) > :`count_1`) AS anon_1 GROUP BY anon_1.touchpoint_id, anon_1.kpi_id

-- count_1 = 1
-- touchpoint_id_1_1 = 'tp_buy_store_advice'
-- touchpoint_id_1_2 = 'tp_move_install'
