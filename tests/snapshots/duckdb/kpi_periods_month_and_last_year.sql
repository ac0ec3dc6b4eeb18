SELECT CAST(date_trunc('month', mart.wh_fact_touchpoint_kpi.event_date) AS DATE) AS period_start, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= $1 AND mart.wh_fact_touchpoint_kpi.event_date < $2) THEN mart.wh_fact_touchpoint_kpi.num_value END) AS numerator_0, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= $1 AND mart.wh_fact_touchpoint_kpi.event_date < $2) THEN mart.wh_fact_touchpoint_kpi.den_value END) AS denominator_0, count(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= $1 AND mart.wh_fact_touchpoint_kpi.event_date < $2) THEN mart.wh_fact_touchpoint_kpi.event_date END) AS rows_0, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= $3 AND mart.wh_fact_touchpoint_kpi.event_date < $4) THEN mart.wh_fact_touchpoint_kpi.num_value END) AS numerator_1, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= $3 AND mart.wh_fact_touchpoint_kpi.event_date < $4) THEN mart.wh_fact_touchpoint_kpi.den_value END) AS denominator_1, count(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= $3 AND mart.wh_fact_touchpoint_kpi.event_date < $4) THEN mart.wh_fact_touchpoint_kpi.event_date END) AS rows_1 
FROM mart.wh_fact_touchpoint_kpi JOIN mart.wh_touchpoint ON mart.wh_fact_touchpoint_kpi.tp_key = mart.wh_touchpoint.tp_key 
WHERE mart.wh_fact_touchpoint_kpi.event_date >= $5 AND mart.wh_fact_touchpoint_kpi.event_date < $6 AND (mart.wh_fact_touchpoint_kpi.event_date >= $1 AND mart.wh_fact_touchpoint_kpi.event_date < $2 OR mart.wh_fact_touchpoint_kpi.event_date >= $3 AND mart.wh_fact_touchpoint_kpi.event_date < $4) AND mart.wh_fact_touchpoint_kpi.kpi_key IN ($7, $8) AND mart.wh_touchpoint.journey_key IN ($9) GROUP BY CAST(date_trunc('month', mart.wh_fact_touchpoint_kpi.event_date) AS DATE), mart.wh_fact_touchpoint_kpi.kpi_key

-- date_1 = datetime.date(2024, 4, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- date_3 = datetime.date(2023, 4, 1)
-- date_4 = datetime.date(2025, 4, 1)
-- date_5 = datetime.date(2023, 4, 1)
-- date_6 = datetime.date(2026, 4, 1)
-- journey_id_1_1 = 'kündigung_"sofort"_o\'brien'
-- kpi_id_1_1 = 'csat'
-- kpi_id_1_2 = 'nps'
