SELECT date_trunc(CAST(`wh_fact_touchpoint_kpi`.`event_date` AS DATE), MONTH) AS `period_start`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, sum(CASE WHEN (`wh_fact_touchpoint_kpi`.`event_date` >= :date_1 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_2) THEN `wh_fact_touchpoint_kpi`.`num_value` END) AS `numerator_0`, sum(CASE WHEN (`wh_fact_touchpoint_kpi`.`event_date` >= :date_1 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_2) THEN `wh_fact_touchpoint_kpi`.`den_value` END) AS `denominator_0`, count(CASE WHEN (`wh_fact_touchpoint_kpi`.`event_date` >= :date_1 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_2) THEN `wh_fact_touchpoint_kpi`.`event_date` END) AS `rows_0`, sum(CASE WHEN (`wh_fact_touchpoint_kpi`.`event_date` >= :date_3 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_4) THEN `wh_fact_touchpoint_kpi`.`num_value` END) AS `numerator_1`, sum(CASE WHEN (`wh_fact_touchpoint_kpi`.`event_date` >= :date_3 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_4) THEN `wh_fact_touchpoint_kpi`.`den_value` END) AS `denominator_1`, count(CASE WHEN (`wh_fact_touchpoint_kpi`.`event_date` >= :date_3 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_4) THEN `wh_fact_touchpoint_kpi`.`event_date` END) AS `rows_1` 
FROM `mart`.`wh_fact_touchpoint_kpi` JOIN `mart`.`wh_touchpoint` ON `wh_fact_touchpoint_kpi`.`tp_key` = `wh_touchpoint`.`tp_key` 
WHERE `wh_fact_touchpoint_kpi`.`event_date` >= :date_5 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_6 AND (`wh_fact_touchpoint_kpi`.`event_date` >= :date_1 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_2 OR `wh_fact_touchpoint_kpi`.`event_date` >= :date_3 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_4) AND `wh_fact_touchpoint_kpi`.`kpi_key` IN UNNEST(:kpi_id_1) AND `wh_touchpoint`.`journey_key` IN UNNEST(:journey_id_1) GROUP BY `period_start`, `kpi_id`

-- date_1 = datetime.date(2024, 4, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- date_3 = datetime.date(2023, 4, 1)
-- date_4 = datetime.date(2025, 4, 1)
-- date_5 = datetime.date(2023, 4, 1)
-- date_6 = datetime.date(2026, 4, 1)
-- journey_id_1 = ['kündigung_"sofort"_o\'brien']
-- kpi_id_1 = ['csat', 'nps']
