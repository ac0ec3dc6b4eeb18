SELECT mart.wh_fact_touchpoint_kpi.event_date AS date, count(*) AS rows 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.event_date >= :`date_1` AND mart.wh_fact_touchpoint_kpi.event_date < :`date_2` GROUP BY mart.wh_fact_touchpoint_kpi.event_date

-- date_1 = datetime.date(2026, 7, 27)
-- date_2 = datetime.date(2026, 11, 23)
