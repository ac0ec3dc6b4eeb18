SELECT mart.wh_budget.journey_key AS journey_id, sum(CASE WHEN (mart.wh_budget.budget_month >= $1 AND mart.wh_budget.budget_month < $2) THEN mart.wh_budget.planned_eur END) AS planned_0, sum(CASE WHEN (mart.wh_budget.budget_month >= $3 AND mart.wh_budget.budget_month < $4) THEN mart.wh_budget.actual END) AS actual_0, count(CASE WHEN (mart.wh_budget.budget_month >= $5 AND mart.wh_budget.budget_month < $6) THEN mart.wh_budget.budget_month END) AS rows_0, sum(CASE WHEN (mart.wh_budget.budget_month >= $7 AND mart.wh_budget.budget_month < $8) THEN mart.wh_budget.planned_eur END) AS planned_1, sum(CASE WHEN (mart.wh_budget.budget_month >= $9 AND mart.wh_budget.budget_month < $10) THEN mart.wh_budget.actual END) AS actual_1, count(CASE WHEN (mart.wh_budget.budget_month >= $11 AND mart.wh_budget.budget_month < $12) THEN mart.wh_budget.budget_month END) AS rows_1, sum(CASE WHEN (mart.wh_budget.budget_month >= $13 AND mart.wh_budget.budget_month < $14) THEN mart.wh_budget.planned_eur END) AS planned_2, sum(CASE WHEN (mart.wh_budget.budget_month >= $15 AND mart.wh_budget.budget_month < $16) THEN mart.wh_budget.actual END) AS actual_2, count(CASE WHEN (mart.wh_budget.budget_month >= $17 AND mart.wh_budget.budget_month < $18) THEN mart.wh_budget.budget_month END) AS rows_2 
FROM mart.wh_budget 
WHERE mart.wh_budget.budget_month >= $19 AND mart.wh_budget.budget_month < $20 AND (mart.wh_budget.budget_month >= $21 AND mart.wh_budget.budget_month < $22 OR mart.wh_budget.budget_month >= $23 AND mart.wh_budget.budget_month < $24 OR mart.wh_budget.budget_month >= $25 AND mart.wh_budget.budget_month < $26) AND (mart.wh_budget.touchpoint_id IN ($27, $28, $29) OR mart.wh_budget.journey_key IN ($30)) GROUP BY mart.wh_budget.journey_key

-- month_1 = datetime.date(2026, 1, 1)
-- month_10 = datetime.date(2026, 1, 1)
-- month_11 = datetime.date(2025, 10, 1)
-- month_12 = datetime.date(2026, 1, 1)
-- month_13 = datetime.date(2025, 1, 1)
-- month_14 = datetime.date(2025, 4, 1)
-- month_15 = datetime.date(2025, 1, 1)
-- month_16 = datetime.date(2025, 4, 1)
-- month_17 = datetime.date(2025, 1, 1)
-- month_18 = datetime.date(2025, 4, 1)
-- month_19 = datetime.date(2025, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
-- month_20 = datetime.date(2026, 4, 1)
-- month_21 = datetime.date(2026, 1, 1)
-- month_22 = datetime.date(2026, 4, 1)
-- month_23 = datetime.date(2025, 10, 1)
-- month_24 = datetime.date(2026, 1, 1)
-- month_25 = datetime.date(2025, 1, 1)
-- month_26 = datetime.date(2025, 4, 1)
-- month_3 = datetime.date(2026, 1, 1)
-- month_4 = datetime.date(2026, 4, 1)
-- month_5 = datetime.date(2026, 1, 1)
-- month_6 = datetime.date(2026, 4, 1)
-- month_7 = datetime.date(2025, 10, 1)
-- month_8 = datetime.date(2026, 1, 1)
-- month_9 = datetime.date(2025, 10, 1)
-- scope_journey_ids_1 = 'kündigung_"sofort"_o\'brien'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
