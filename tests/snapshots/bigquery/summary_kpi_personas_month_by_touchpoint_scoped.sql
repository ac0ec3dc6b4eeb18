SELECT `persona_touchpoints`.`persona`, date_trunc(CAST(`wh_tp_kpi_month`.`kpi_month` AS DATE), MONTH) AS `period_start`, `persona_touchpoints`.`touchpoint_id` AS `touchpoint_id`, `wh_tp_kpi_month`.`kpi_key` AS `kpi_id`, sum(`wh_tp_kpi_month`.`num_sum`) AS `numerator`, sum(`wh_tp_kpi_month`.`den_sum`) AS `denominator`, CAST(sum(`wh_tp_kpi_month`.`fact_rows`) AS INT64) AS `rows` 
FROM `mart`.`wh_tp_kpi_month` JOIN (SELECT `wh_touchpoint`.`tp_key` AS `touchpoint_id`, CASE WHEN (`wh_touchpoint`.`journey_key` IN UNNEST(:persona_0_journey_ids)) THEN :persona_0 WHEN (`wh_touchpoint`.`journey_key` IN UNNEST(:persona_1_journey_ids)) THEN :persona_1 END AS `persona` 
FROM `mart`.`wh_touchpoint` 
WHERE `wh_touchpoint`.`journey_key` IN UNNEST(:persona_journey_ids) AND `wh_touchpoint`.`is_mot` = true AND `wh_touchpoint`.`tp_key` IN UNNEST(:scope_touchpoint_ids)) AS `persona_touchpoints` ON `wh_tp_kpi_month`.`tp_key` = `persona_touchpoints`.`touchpoint_id` 
WHERE `wh_tp_kpi_month`.`kpi_month` >= :date_1 AND `wh_tp_kpi_month`.`kpi_month` < :date_2 AND `wh_tp_kpi_month`.`kpi_key` IN UNNEST(:kpi_id_1) GROUP BY `persona_touchpoints`.`persona`, `period_start`, `touchpoint_id`, `kpi_id`

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- kpi_id_1 = ['csat']
-- persona_0 = 'Family on the move'
-- persona_0_journey_ids = ['fault', 'kündigung_"sofort"_o\'brien']
-- persona_1 = 'Young professional'
-- persona_1_journey_ids = ['buy']
-- persona_journey_ids = ['buy', 'fault', 'kündigung_"sofort"_o\'brien']
-- scope_touchpoint_ids = ['tp_fault_hotline', 'tp_move_install', 'tp_move_mailing']
