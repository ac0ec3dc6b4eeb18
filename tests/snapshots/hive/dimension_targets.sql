SELECT `wh_target`.`kpi_key` AS `kpi_id`, `wh_target`.`scope` AS `scope`, `wh_target`.`scope_id` AS `scope_id`, `wh_target`.`valid_from` AS `valid_from`, `wh_target`.`valid_until` AS `valid_to`, `wh_target`.`target_value` AS `target`, `wh_target`.`tolerance` AS `tolerance`, `wh_target`.`stretch` AS `stretch` 
FROM `mart`.`wh_target`

