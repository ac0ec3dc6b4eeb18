SELECT `wh_budget`.`budget_month` AS `month`, `wh_budget`.`journey_key` AS `journey_id`, sum(`wh_budget`.`planned_eur`) AS `planned`, sum(`wh_budget`.`actual`) AS `actual` 
FROM `mart`.`wh_budget` 
WHERE `wh_budget`.`budget_month` >= :month_1 AND `wh_budget`.`budget_month` < :month_2 GROUP BY `month`, `journey_id`

-- month_1 = datetime.date(2026, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
