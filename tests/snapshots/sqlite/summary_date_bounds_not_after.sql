SELECT min(mart.wh_fact_touchpoint_kpi.event_date) AS min_1, max(mart.wh_fact_touchpoint_kpi.event_date) AS max_1, (SELECT max(mart.wh_tp_kpi_month.kpi_month) AS max_2 
FROM mart.wh_tp_kpi_month) AS anon_1 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.event_date < ?

-- date_1 = datetime.date(2026, 11, 23)
