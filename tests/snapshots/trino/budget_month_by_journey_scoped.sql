SELECT mart.wh_budget.budget_month AS month, mart.wh_budget.journey_key AS journey_id, sum(mart.wh_budget.planned_eur) AS planned, sum(mart.wh_budget.actual) AS actual 
FROM mart.wh_budget 
WHERE mart.wh_budget.budget_month >= :month_1 AND mart.wh_budget.budget_month < :month_2 AND (mart.wh_budget.touchpoint_id IN (:scope_touchpoint_ids_1, :scope_touchpoint_ids_2, :scope_touchpoint_ids_3) OR mart.wh_budget.journey_key IN (:scope_journey_ids_1)) GROUP BY mart.wh_budget.budget_month, mart.wh_budget.journey_key

-- month_1 = datetime.date(2026, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
-- scope_journey_ids_1 = 'kündigung_"sofort"_o\'brien'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
