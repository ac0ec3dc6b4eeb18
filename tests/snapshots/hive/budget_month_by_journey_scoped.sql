SELECT `wh_budget`.`budget_month` AS `month`, `wh_budget`.`journey_key` AS `journey_id`, sum(`wh_budget`.`planned_eur`) AS `planned`, sum(`wh_budget`.`actual`) AS `actual` 
FROM `mart`.`wh_budget` 
WHERE `wh_budget`.`budget_month` >= %(month_1)s AND `wh_budget`.`budget_month` < %(month_2)s AND (`wh_budget`.`touchpoint_id` IN (%(scope_touchpoint_ids_1)s, %(scope_touchpoint_ids_2)s, %(scope_touchpoint_ids_3)s) OR `wh_budget`.`journey_key` IN (%(scope_journey_ids_1)s)) GROUP BY `wh_budget`.`budget_month`, `wh_budget`.`journey_key`

-- month_1 = datetime.date(2026, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
-- scope_journey_ids_1 = 'kündigung_"sofort"_o\'brien'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
