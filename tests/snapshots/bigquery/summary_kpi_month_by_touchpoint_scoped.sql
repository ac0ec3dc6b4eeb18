SELECT date_trunc(CAST(`wh_tp_kpi_month`.`kpi_month` AS DATE), MONTH) AS `period_start`, `wh_touchpoint`.`tp_key` AS `touchpoint_id`, `wh_tp_kpi_month`.`kpi_key` AS `kpi_id`, sum(`wh_tp_kpi_month`.`num_sum`) AS `numerator`, sum(`wh_tp_kpi_month`.`den_sum`) AS `denominator`, CAST(sum(`wh_tp_kpi_month`.`fact_rows`) AS INT64) AS `rows` 
FROM `mart`.`wh_tp_kpi_month` JOIN `mart`.`wh_touchpoint` ON `wh_tp_kpi_month`.`tp_key` = `wh_touchpoint`.`tp_key` 
WHERE `wh_tp_kpi_month`.`kpi_month` >= :date_1 AND `wh_tp_kpi_month`.`kpi_month` < :date_2 AND `wh_tp_kpi_month`.`kpi_key` IN UNNEST(:kpi_id_1) AND `wh_touchpoint`.`journey_key` IN UNNEST(:journey_id_1) AND `wh_touchpoint`.`channel_name` IN UNNEST(:channel_1) AND `wh_touchpoint`.`tp owner` IN UNNEST(:owner_1) AND `wh_touchpoint`.`is_mot` = true AND `wh_touchpoint`.`tp_key` IN UNNEST(:scope_touchpoint_ids) GROUP BY `period_start`, `touchpoint_id`, `kpi_id`

-- channel_1 = ['web']
-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- journey_id_1 = ['kündigung_"sofort"_o\'brien', 'buy']
-- kpi_id_1 = ['csat', 'nps']
-- owner_1 = ['Priya Nair']
-- scope_touchpoint_ids = ['tp_fault_hotline', 'tp_move_install', 'tp_move_mailing']
