SELECT `wh_touchpoint`.`tp_key` AS `touchpoint_id`, `wh_touchpoint`.`journey_key` AS `journey_id`, `wh_touchpoint`.`stage_key` AS `stage_id`, `wh_touchpoint`.`name` AS `name`, `wh_touchpoint`.`channel_name` AS `channel`, `wh_touchpoint`.`tp owner` AS `owner`, `wh_touchpoint`.`is_mot` AS `moment_of_truth`, `wh_touchpoint`.`kano` AS `kano`, `wh_touchpoint`.`weight` AS `weight`, `wh_touchpoint`.`third_party` AS `third_party` 
FROM `mart`.`wh_touchpoint`

