SELECT `wh_fact_touchpoint_kpi`.`event_date` AS `date`, `wh_fact_touchpoint_kpi`.`tp_key` AS `touchpoint_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, `wh_fact_touchpoint_kpi`.`num_value` AS `numerator`, `wh_fact_touchpoint_kpi`.`den_value` AS `denominator` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE `wh_fact_touchpoint_kpi`.`event_date` IS NULL OR `wh_fact_touchpoint_kpi`.`tp_key` IS NULL OR `wh_fact_touchpoint_kpi`.`kpi_key` IS NULL ORDER BY `wh_fact_touchpoint_kpi`.`event_date` DESC, `wh_fact_touchpoint_kpi`.`tp_key`, `wh_fact_touchpoint_kpi`.`kpi_key`
 LIMIT :param_1

-- param_1 = 20
