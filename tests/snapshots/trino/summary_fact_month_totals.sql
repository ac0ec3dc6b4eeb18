SELECT CAST(date_trunc('month', mart.wh_fact_touchpoint_kpi.event_date) AS DATE) AS month, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, sum(mart.wh_fact_touchpoint_kpi.num_value) AS numerator, sum(mart.wh_fact_touchpoint_kpi.den_value) AS denominator, count(*) AS rows 
FROM mart.wh_fact_touchpoint_kpi GROUP BY CAST(date_trunc('month', mart.wh_fact_touchpoint_kpi.event_date) AS DATE), mart.wh_fact_touchpoint_kpi.kpi_key

