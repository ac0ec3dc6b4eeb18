SELECT CAST(date_trunc('year', mart.wh_fact_touchpoint_kpi.event_date) AS DATE) AS period_start, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, sum(mart.wh_fact_touchpoint_kpi.num_value) AS numerator, sum(mart.wh_fact_touchpoint_kpi.den_value) AS denominator, count(*) AS "rows" 
FROM mart.wh_fact_touchpoint_kpi JOIN mart.wh_touchpoint ON mart.wh_fact_touchpoint_kpi.tp_key = mart.wh_touchpoint.tp_key 
WHERE mart.wh_fact_touchpoint_kpi.event_date >= %(date_1)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_2)s AND mart.wh_fact_touchpoint_kpi.kpi_key IN (%(kpi_id_1_1)s) GROUP BY CAST(date_trunc('year', mart.wh_fact_touchpoint_kpi.event_date) AS DATE), mart.wh_fact_touchpoint_kpi.kpi_key

-- date_1 = datetime.date(2025, 1, 1)
-- date_2 = datetime.date(2027, 1, 1)
-- kpi_id_1_1 = 'nps'
