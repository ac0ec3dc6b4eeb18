SELECT mart.wh_budget.journey_key AS journey_id, sum(CASE WHEN (mart.wh_budget.budget_month >= %(month_1)s AND mart.wh_budget.budget_month < %(month_2)s) THEN mart.wh_budget.planned_eur END) AS planned_0, sum(CASE WHEN (mart.wh_budget.budget_month >= %(month_1)s AND mart.wh_budget.budget_month < %(month_2)s) THEN mart.wh_budget.actual END) AS actual_0, count(CASE WHEN (mart.wh_budget.budget_month >= %(month_1)s AND mart.wh_budget.budget_month < %(month_2)s) THEN mart.wh_budget.budget_month END) AS rows_0, sum(CASE WHEN (mart.wh_budget.budget_month >= %(month_3)s AND mart.wh_budget.budget_month < %(month_4)s) THEN mart.wh_budget.planned_eur END) AS planned_1, sum(CASE WHEN (mart.wh_budget.budget_month >= %(month_3)s AND mart.wh_budget.budget_month < %(month_4)s) THEN mart.wh_budget.actual END) AS actual_1, count(CASE WHEN (mart.wh_budget.budget_month >= %(month_3)s AND mart.wh_budget.budget_month < %(month_4)s) THEN mart.wh_budget.budget_month END) AS rows_1, sum(CASE WHEN (mart.wh_budget.budget_month >= %(month_5)s AND mart.wh_budget.budget_month < %(month_6)s) THEN mart.wh_budget.planned_eur END) AS planned_2, sum(CASE WHEN (mart.wh_budget.budget_month >= %(month_5)s AND mart.wh_budget.budget_month < %(month_6)s) THEN mart.wh_budget.actual END) AS actual_2, count(CASE WHEN (mart.wh_budget.budget_month >= %(month_5)s AND mart.wh_budget.budget_month < %(month_6)s) THEN mart.wh_budget.budget_month END) AS rows_2 
FROM mart.wh_budget 
WHERE mart.wh_budget.budget_month >= %(month_7)s AND mart.wh_budget.budget_month < %(month_8)s AND (mart.wh_budget.budget_month >= %(month_1)s AND mart.wh_budget.budget_month < %(month_2)s OR mart.wh_budget.budget_month >= %(month_3)s AND mart.wh_budget.budget_month < %(month_4)s OR mart.wh_budget.budget_month >= %(month_5)s AND mart.wh_budget.budget_month < %(month_6)s) AND (mart.wh_budget.touchpoint_id IN (%(scope_touchpoint_ids_1)s, %(scope_touchpoint_ids_2)s, %(scope_touchpoint_ids_3)s) OR mart.wh_budget.journey_key IN (%(scope_journey_ids_1)s)) GROUP BY mart.wh_budget.journey_key

-- month_1 = datetime.date(2026, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
-- month_3 = datetime.date(2025, 10, 1)
-- month_4 = datetime.date(2026, 1, 1)
-- month_5 = datetime.date(2025, 1, 1)
-- month_6 = datetime.date(2025, 4, 1)
-- month_7 = datetime.date(2025, 1, 1)
-- month_8 = datetime.date(2026, 4, 1)
-- scope_journey_ids_1 = 'kündigung_"sofort"_o\'brien'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
