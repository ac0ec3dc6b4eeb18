SELECT `wh_budget`.`journey_key` AS `journey_id`, `wh_budget`.`touchpoint_id` AS `touchpoint_id`, count(*) AS `rows`, sum(CASE WHEN (`wh_budget`.`planned_eur` < :planned_1 OR `wh_budget`.`actual` < :actual_1) THEN :param_1 ELSE :param_2 END) AS `negative_rows`, min(`wh_budget`.`planned_eur`) AS `min_planned`, min(`wh_budget`.`actual`) AS `min_actual`, max(`wh_budget`.`budget_month`) AS `latest_date` 
FROM `mart`.`wh_budget` GROUP BY `journey_id`, `touchpoint_id`

-- actual_1 = 0
-- param_1 = 1
-- param_2 = 0
-- planned_1 = 0
