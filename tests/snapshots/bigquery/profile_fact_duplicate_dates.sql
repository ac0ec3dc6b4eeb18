SELECT `anon_1`.`touchpoint_id`, `anon_1`.`kpi_id`, min(`anon_1`.`date`) AS `duplicate_from`, max(`anon_1`.`date`) AS `duplicate_to` 
FROM (SELECT `wh_fact_touchpoint_kpi`.`tp_key` AS `touchpoint_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, `wh_fact_touchpoint_kpi`.`event_date` AS `date` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE `wh_fact_touchpoint_kpi`.`tp_key` IN UNNEST(:touchpoint_id_1) AND `wh_fact_touchpoint_kpi`.`event_date` IS NOT NULL GROUP BY `wh_fact_touchpoint_kpi`.`tp_key`, `wh_fact_touchpoint_kpi`.`kpi_key`, `wh_fact_touchpoint_kpi`.`event_date` 
HAVING count(*) > :count_1) AS `anon_1` GROUP BY `anon_1`.`touchpoint_id`, `anon_1`.`kpi_id`

-- count_1 = 1
-- touchpoint_id_1 = ['tp_buy_store_advice', 'tp_move_install']
