SELECT mart.wh_tp_kpi_month.kpi_month AS month, mart.wh_tp_kpi_month.tp_key AS touchpoint_id, mart.wh_tp_kpi_month.kpi_key AS kpi_id, sum(mart.wh_tp_kpi_month.num_sum) AS numerator, sum(mart.wh_tp_kpi_month.den_sum) AS denominator, sum(mart.wh_tp_kpi_month.fact_rows) AS rows 
FROM mart.wh_tp_kpi_month 
WHERE mart.wh_tp_kpi_month.kpi_month IN (:`months_1`, :`months_2`) GROUP BY mart.wh_tp_kpi_month.kpi_month, mart.wh_tp_kpi_month.tp_key, mart.wh_tp_kpi_month.kpi_key

-- months_1 = datetime.date(2026, 3, 1)
-- months_2 = datetime.date(2026, 4, 1)
