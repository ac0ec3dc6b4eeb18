SELECT min(mart.wh_tp_kpi_month.kpi_month) AS min_1, max(CASE WHEN (mart.wh_tp_kpi_month.kpi_month <= $1) THEN mart.wh_tp_kpi_month.kpi_month END) AS max_1, max(mart.wh_tp_kpi_month.kpi_month) AS max_2 
FROM mart.wh_tp_kpi_month

-- month_1 = datetime.date(2026, 11, 22)
