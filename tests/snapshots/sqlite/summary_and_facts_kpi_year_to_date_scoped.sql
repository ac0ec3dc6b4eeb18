SELECT mart.wh_touchpoint.journey_key AS journey_id, kpi_rows.kpi_id AS kpi_id, sum(kpi_rows.numerator) AS numerator, sum(kpi_rows.denominator) AS denominator, CAST(sum(kpi_rows.rows) AS BIGINT) AS rows 
FROM (SELECT mart.wh_tp_kpi_month.kpi_month AS month, mart.wh_tp_kpi_month.tp_key AS touchpoint_id, mart.wh_tp_kpi_month.kpi_key AS kpi_id, mart.wh_tp_kpi_month.num_sum AS numerator, mart.wh_tp_kpi_month.den_sum AS denominator, mart.wh_tp_kpi_month.fact_rows AS rows 
FROM mart.wh_tp_kpi_month 
WHERE mart.wh_tp_kpi_month.kpi_month < ? UNION ALL SELECT mart.wh_fact_touchpoint_kpi.event_date AS month, mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, mart.wh_fact_touchpoint_kpi.num_value AS numerator, mart.wh_fact_touchpoint_kpi.den_value AS denominator, 1 AS rows 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.event_date >= ?) AS kpi_rows JOIN mart.wh_touchpoint ON kpi_rows.touchpoint_id = mart.wh_touchpoint.tp_key 
WHERE kpi_rows.month >= ? AND kpi_rows.month < ? AND kpi_rows.kpi_id IN (?) AND mart.wh_touchpoint.is_mot = 1 AND mart.wh_touchpoint.tp_key IN (?, ?, ?) GROUP BY mart.wh_touchpoint.journey_key, kpi_rows.kpi_id

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 11, 23)
-- kpi_id_1_1 = 'csat'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
-- summary_cut = datetime.date(2026, 11, 1)
