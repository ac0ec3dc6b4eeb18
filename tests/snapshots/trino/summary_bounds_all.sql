SELECT min(mart.wh_tp_kpi_month.kpi_month) AS min_1, max(mart.wh_tp_kpi_month.kpi_month) AS max_1, max(mart.wh_tp_kpi_month.kpi_month) AS max_2 
FROM mart.wh_tp_kpi_month

