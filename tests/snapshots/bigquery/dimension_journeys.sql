SELECT `wh_journey`.`journey_key` AS `journey_id`, `wh_journey`.`journey_name` AS `name`, `wh_journey`.`persona` AS `persona`, `wh_journey`.`owner` AS `owner`, `wh_journey`.`description` AS `description` 
FROM `mart`.`wh_journey`

