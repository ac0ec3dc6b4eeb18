SELECT `wh_budget`.`touchpoint_id` AS `touchpoint_id`, `wh_budget`.`channel` AS `channel`, sum(`wh_budget`.`planned_eur`) AS `planned`, sum(`wh_budget`.`actual`) AS `actual` 
FROM `mart`.`wh_budget` 
WHERE `wh_budget`.`budget_month` >= :month_1 AND `wh_budget`.`budget_month` < :month_2 GROUP BY `touchpoint_id`, `channel`

-- month_1 = datetime.date(2026, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
