SELECT `wh_fact_touchpoint_kpi`.`event_date` AS `date`, `wh_fact_touchpoint_kpi`.`tp_key` AS `touchpoint_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, `wh_fact_touchpoint_kpi`.`num_value` AS `numerator`, `wh_fact_touchpoint_kpi`.`den_value` AS `denominator` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE `wh_fact_touchpoint_kpi`.`kpi_key` IN UNNEST(:kpi_id_1) AND (`wh_fact_touchpoint_kpi`.`den_value` IS NULL OR `wh_fact_touchpoint_kpi`.`den_value` <= :denominator_1) ORDER BY `wh_fact_touchpoint_kpi`.`event_date` DESC, `wh_fact_touchpoint_kpi`.`tp_key`, `wh_fact_touchpoint_kpi`.`kpi_key`
 LIMIT :param_1

-- denominator_1 = 0
-- kpi_id_1 = ['engagement_rate', 'conversion_rate', 'drop_off_rate', 'csat', 'nps', 'ces', 'first_contact_resolution', 'response_time', 'repeat_purchase_rate']
-- param_1 = 20
