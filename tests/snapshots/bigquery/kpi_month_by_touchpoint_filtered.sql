SELECT date_trunc(CAST(`wh_fact_touchpoint_kpi`.`event_date` AS DATE), MONTH) AS `period_start`, `wh_touchpoint`.`tp_key` AS `touchpoint_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, sum(`wh_fact_touchpoint_kpi`.`num_value`) AS `numerator`, sum(`wh_fact_touchpoint_kpi`.`den_value`) AS `denominator`, count(*) AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` JOIN `mart`.`wh_touchpoint` ON `wh_fact_touchpoint_kpi`.`tp_key` = `wh_touchpoint`.`tp_key` 
WHERE `wh_fact_touchpoint_kpi`.`event_date` >= :date_1 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_2 AND `wh_fact_touchpoint_kpi`.`kpi_key` IN UNNEST(:kpi_id_1) AND `wh_touchpoint`.`journey_key` IN UNNEST(:journey_id_1) AND `wh_touchpoint`.`channel_name` IN UNNEST(:channel_1) AND `wh_touchpoint`.`tp owner` IN UNNEST(:owner_1) AND `wh_touchpoint`.`is_mot` = true GROUP BY `period_start`, `touchpoint_id`, `kpi_id`

-- channel_1 = ['web']
-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- journey_id_1 = ['kündigung_"sofort"_o\'brien', 'buy']
-- kpi_id_1 = ['csat', 'nps']
-- owner_1 = ['Priya Nair']
