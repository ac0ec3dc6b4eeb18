SELECT `wh_kpi`.`kpi_key` AS `kpi_id`, `wh_kpi`.`name` AS `name`, `wh_kpi`.`unit` AS `unit`, `wh_kpi`.`direction` AS `direction`, `wh_kpi`.`aggregation` AS `aggregation`, `wh_kpi`.`kpi_scale` AS `scale`, `wh_kpi`.`description` AS `description` 
FROM `mart`.`wh_kpi`

