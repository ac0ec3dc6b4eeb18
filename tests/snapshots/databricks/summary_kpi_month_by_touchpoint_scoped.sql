SELECT CAST(date_trunc('month', mart.wh_tp_kpi_month.kpi_month) AS DATE) AS period_start, mart.wh_touchpoint.tp_key AS touchpoint_id, mart.wh_tp_kpi_month.kpi_key AS kpi_id, sum(mart.wh_tp_kpi_month.num_sum) AS numerator, sum(mart.wh_tp_kpi_month.den_sum) AS denominator, CAST(sum(mart.wh_tp_kpi_month.fact_rows) AS BIGINT) AS rows 
FROM mart.wh_tp_kpi_month JOIN mart.wh_touchpoint ON mart.wh_tp_kpi_month.tp_key = mart.wh_touchpoint.tp_key 
WHERE mart.wh_tp_kpi_month.kpi_month >= :`date_1` AND mart.wh_tp_kpi_month.kpi_month < :`date_2` AND mart.wh_tp_kpi_month.kpi_key IN (:`kpi_id_1_1`, :`kpi_id_1_2`) AND mart.wh_touchpoint.journey_key IN (:`journey_id_1_1`, :`journey_id_1_2`) AND mart.wh_touchpoint.channel_name IN (:`channel_1_1`) AND mart.wh_touchpoint.`tp owner` IN (:`owner_1_1`) AND mart.wh_touchpoint.is_mot = true AND mart.wh_touchpoint.tp_key IN (:`scope_touchpoint_ids_1`, :`scope_touchpoint_ids_2`, :`scope_touchpoint_ids_3`) GROUP BY CAST(date_trunc('month', mart.wh_tp_kpi_month.kpi_month) AS DATE), mart.wh_touchpoint.tp_key, mart.wh_tp_kpi_month.kpi_key

-- channel_1_1 = 'web'
-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- journey_id_1_1 = 'kündigung_"sofort"_o\'brien'
-- journey_id_1_2 = 'buy'
-- kpi_id_1_1 = 'csat'
-- kpi_id_1_2 = 'nps'
-- owner_1_1 = 'Priya Nair'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
