SELECT date_trunc(CAST(`wh_fact_touchpoint_kpi`.`event_date` AS DATE), DAY) AS `period_start`, `wh_touchpoint`.`stage_key` AS `stage_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, sum(`wh_fact_touchpoint_kpi`.`num_value`) AS `numerator`, sum(`wh_fact_touchpoint_kpi`.`den_value`) AS `denominator`, count(*) AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` JOIN `mart`.`wh_touchpoint` ON `wh_fact_touchpoint_kpi`.`tp_key` = `wh_touchpoint`.`tp_key` 
WHERE `wh_fact_touchpoint_kpi`.`event_date` >= :date_1 AND `wh_fact_touchpoint_kpi`.`event_date` < :date_2 AND `wh_fact_touchpoint_kpi`.`kpi_key` IN UNNEST(:kpi_id_1) AND `wh_touchpoint`.`stage_key` IN UNNEST(:stage_id_1) GROUP BY `period_start`, `stage_id`, `kpi_id`

-- date_1 = datetime.date(2026, 3, 1)
-- date_2 = datetime.date(2026, 3, 8)
-- kpi_id_1 = ['ces']
-- stage_id_1 = ['buy.purchase']
