SELECT count(*) AS "rows" 
FROM mart.wh_fact_touchpoint_kpi

