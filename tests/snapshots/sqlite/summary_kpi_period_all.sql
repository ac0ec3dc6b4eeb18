SELECT mart.wh_tp_kpi_month.kpi_key AS kpi_id, sum(mart.wh_tp_kpi_month.num_sum) AS numerator, sum(mart.wh_tp_kpi_month.den_sum) AS denominator, CAST(sum(mart.wh_tp_kpi_month.fact_rows) AS BIGINT) AS rows 
FROM mart.wh_tp_kpi_month JOIN mart.wh_touchpoint ON mart.wh_tp_kpi_month.tp_key = mart.wh_touchpoint.tp_key 
WHERE mart.wh_tp_kpi_month.kpi_month >= ? AND mart.wh_tp_kpi_month.kpi_month < ? AND mart.wh_tp_kpi_month.kpi_key IN (?, ?) GROUP BY mart.wh_tp_kpi_month.kpi_key

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- kpi_id_1_1 = 'csat'
-- kpi_id_1_2 = 'reach'
