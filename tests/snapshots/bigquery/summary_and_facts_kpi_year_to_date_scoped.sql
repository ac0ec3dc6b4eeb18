SELECT `wh_touchpoint`.`journey_key` AS `journey_id`, `kpi_rows`.`kpi_id` AS `kpi_id`, sum(`kpi_rows`.`numerator`) AS `numerator`, sum(`kpi_rows`.`denominator`) AS `denominator`, CAST(sum(`kpi_rows`.`rows`) AS INT64) AS `rows` 
FROM (SELECT `wh_tp_kpi_month`.`kpi_month` AS `month`, `wh_tp_kpi_month`.`tp_key` AS `touchpoint_id`, `wh_tp_kpi_month`.`kpi_key` AS `kpi_id`, `wh_tp_kpi_month`.`num_sum` AS `numerator`, `wh_tp_kpi_month`.`den_sum` AS `denominator`, `wh_tp_kpi_month`.`fact_rows` AS `rows` 
FROM `mart`.`wh_tp_kpi_month` 
WHERE `wh_tp_kpi_month`.`kpi_month` < :summary_cut UNION ALL SELECT `wh_fact_touchpoint_kpi`.`event_date` AS `month`, `wh_fact_touchpoint_kpi`.`tp_key` AS `touchpoint_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, `wh_fact_touchpoint_kpi`.`num_value` AS `numerator`, `wh_fact_touchpoint_kpi`.`den_value` AS `denominator`, 1 AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE `wh_fact_touchpoint_kpi`.`event_date` >= :summary_cut) AS `kpi_rows` JOIN `mart`.`wh_touchpoint` ON `kpi_rows`.`touchpoint_id` = `wh_touchpoint`.`tp_key` 
WHERE `kpi_rows`.`month` >= :date_1 AND `kpi_rows`.`month` < :date_2 AND `kpi_rows`.`kpi_id` IN UNNEST(:kpi_id_1) AND `wh_touchpoint`.`is_mot` = true AND `wh_touchpoint`.`tp_key` IN UNNEST(:scope_touchpoint_ids) GROUP BY `journey_id`, `kpi_id`

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 11, 23)
-- kpi_id_1 = ['csat']
-- scope_touchpoint_ids = ['tp_fault_hotline', 'tp_move_install', 'tp_move_mailing']
-- summary_cut = datetime.date(2026, 11, 1)
