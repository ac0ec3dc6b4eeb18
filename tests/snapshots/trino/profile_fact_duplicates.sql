SELECT doubled.touchpoint_id, doubled.kpi_id, sum(doubled.copies - :copies_1) AS duplicate_rows, min(doubled.date) AS duplicate_from, max(doubled.date) AS duplicate_to 
FROM (SELECT mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, mart.wh_fact_touchpoint_kpi.event_date AS date, count(*) AS copies 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.event_date IS NOT NULL GROUP BY mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key, mart.wh_fact_touchpoint_kpi.event_date 
HAVING count(*) > :count_1) AS doubled GROUP BY doubled.touchpoint_id, doubled.kpi_id

-- copies_1 = 1
-- count_1 = 1
