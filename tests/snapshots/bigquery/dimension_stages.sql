SELECT `wh_stage`.`stage_key` AS `stage_id`, `wh_stage`.`journey_key` AS `journey_id`, `wh_stage`.`name` AS `name`, `wh_stage`.`stage_order` AS `position` 
FROM `mart`.`wh_stage`

