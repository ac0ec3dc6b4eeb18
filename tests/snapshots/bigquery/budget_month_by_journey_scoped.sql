SELECT `wh_budget`.`budget_month` AS `month`, `wh_budget`.`journey_key` AS `journey_id`, sum(`wh_budget`.`planned_eur`) AS `planned`, sum(`wh_budget`.`actual`) AS `actual` 
FROM `mart`.`wh_budget` 
WHERE `wh_budget`.`budget_month` >= :month_1 AND `wh_budget`.`budget_month` < :month_2 AND (`wh_budget`.`touchpoint_id` IN UNNEST(:scope_touchpoint_ids) OR `wh_budget`.`journey_key` IN UNNEST(:scope_journey_ids)) GROUP BY `month`, `journey_id`

-- month_1 = datetime.date(2026, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
-- scope_journey_ids = ['kündigung_"sofort"_o\'brien']
-- scope_touchpoint_ids = ['tp_fault_hotline', 'tp_move_install', 'tp_move_mailing']
