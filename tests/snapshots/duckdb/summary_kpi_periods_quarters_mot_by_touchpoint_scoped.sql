SELECT mart.wh_touchpoint.tp_key AS touchpoint_id, mart.wh_tp_kpi_month.kpi_key AS kpi_id, sum(CASE WHEN (mart.wh_tp_kpi_month.kpi_month >= $1 AND mart.wh_tp_kpi_month.kpi_month < $2) THEN mart.wh_tp_kpi_month.num_sum END) AS numerator_0, sum(CASE WHEN (mart.wh_tp_kpi_month.kpi_month >= $1 AND mart.wh_tp_kpi_month.kpi_month < $2) THEN mart.wh_tp_kpi_month.den_sum END) AS denominator_0, CAST(sum(CASE WHEN (mart.wh_tp_kpi_month.kpi_month >= $1 AND mart.wh_tp_kpi_month.kpi_month < $2) THEN mart.wh_tp_kpi_month.fact_rows END) AS BIGINT) AS rows_0, sum(CASE WHEN (mart.wh_tp_kpi_month.kpi_month >= $3 AND mart.wh_tp_kpi_month.kpi_month < $4) THEN mart.wh_tp_kpi_month.num_sum END) AS numerator_1, sum(CASE WHEN (mart.wh_tp_kpi_month.kpi_month >= $3 AND mart.wh_tp_kpi_month.kpi_month < $4) THEN mart.wh_tp_kpi_month.den_sum END) AS denominator_1, CAST(sum(CASE WHEN (mart.wh_tp_kpi_month.kpi_month >= $3 AND mart.wh_tp_kpi_month.kpi_month < $4) THEN mart.wh_tp_kpi_month.fact_rows END) AS BIGINT) AS rows_1, sum(CASE WHEN (mart.wh_tp_kpi_month.kpi_month >= $5 AND mart.wh_tp_kpi_month.kpi_month < $6) THEN mart.wh_tp_kpi_month.num_sum END) AS numerator_2, sum(CASE WHEN (mart.wh_tp_kpi_month.kpi_month >= $5 AND mart.wh_tp_kpi_month.kpi_month < $6) THEN mart.wh_tp_kpi_month.den_sum END) AS denominator_2, CAST(sum(CASE WHEN (mart.wh_tp_kpi_month.kpi_month >= $5 AND mart.wh_tp_kpi_month.kpi_month < $6) THEN mart.wh_tp_kpi_month.fact_rows END) AS BIGINT) AS rows_2 
FROM mart.wh_tp_kpi_month JOIN mart.wh_touchpoint ON mart.wh_tp_kpi_month.tp_key = mart.wh_touchpoint.tp_key 
WHERE mart.wh_tp_kpi_month.kpi_month >= $7 AND mart.wh_tp_kpi_month.kpi_month < $8 AND (mart.wh_tp_kpi_month.kpi_month >= $1 AND mart.wh_tp_kpi_month.kpi_month < $2 OR mart.wh_tp_kpi_month.kpi_month >= $3 AND mart.wh_tp_kpi_month.kpi_month < $4 OR mart.wh_tp_kpi_month.kpi_month >= $5 AND mart.wh_tp_kpi_month.kpi_month < $6) AND mart.wh_tp_kpi_month.kpi_key IN ($9) AND mart.wh_touchpoint.is_mot = true AND mart.wh_touchpoint.tp_key IN ($10, $11, $12) GROUP BY mart.wh_touchpoint.tp_key, mart.wh_tp_kpi_month.kpi_key

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- date_3 = datetime.date(2025, 10, 1)
-- date_4 = datetime.date(2026, 1, 1)
-- date_5 = datetime.date(2025, 1, 1)
-- date_6 = datetime.date(2025, 4, 1)
-- date_7 = datetime.date(2025, 1, 1)
-- date_8 = datetime.date(2026, 4, 1)
-- kpi_id_1_1 = 'csat'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
