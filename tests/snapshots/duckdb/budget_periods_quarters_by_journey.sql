SELECT mart.wh_budget.journey_key AS journey_id, sum(CASE WHEN (mart.wh_budget.budget_month >= $1 AND mart.wh_budget.budget_month < $2) THEN mart.wh_budget.planned_eur END) AS planned_0, sum(CASE WHEN (mart.wh_budget.budget_month >= $1 AND mart.wh_budget.budget_month < $2) THEN mart.wh_budget.actual END) AS actual_0, count(CASE WHEN (mart.wh_budget.budget_month >= $1 AND mart.wh_budget.budget_month < $2) THEN mart.wh_budget.budget_month END) AS rows_0, sum(CASE WHEN (mart.wh_budget.budget_month >= $3 AND mart.wh_budget.budget_month < $4) THEN mart.wh_budget.planned_eur END) AS planned_1, sum(CASE WHEN (mart.wh_budget.budget_month >= $3 AND mart.wh_budget.budget_month < $4) THEN mart.wh_budget.actual END) AS actual_1, count(CASE WHEN (mart.wh_budget.budget_month >= $3 AND mart.wh_budget.budget_month < $4) THEN mart.wh_budget.budget_month END) AS rows_1, sum(CASE WHEN (mart.wh_budget.budget_month >= $5 AND mart.wh_budget.budget_month < $6) THEN mart.wh_budget.planned_eur END) AS planned_2, sum(CASE WHEN (mart.wh_budget.budget_month >= $5 AND mart.wh_budget.budget_month < $6) THEN mart.wh_budget.actual END) AS actual_2, count(CASE WHEN (mart.wh_budget.budget_month >= $5 AND mart.wh_budget.budget_month < $6) THEN mart.wh_budget.budget_month END) AS rows_2 
FROM mart.wh_budget 
WHERE mart.wh_budget.budget_month >= $7 AND mart.wh_budget.budget_month < $8 AND (mart.wh_budget.budget_month >= $1 AND mart.wh_budget.budget_month < $2 OR mart.wh_budget.budget_month >= $3 AND mart.wh_budget.budget_month < $4 OR mart.wh_budget.budget_month >= $5 AND mart.wh_budget.budget_month < $6) GROUP BY mart.wh_budget.journey_key

-- month_1 = datetime.date(2026, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
-- month_3 = datetime.date(2025, 10, 1)
-- month_4 = datetime.date(2026, 1, 1)
-- month_5 = datetime.date(2025, 1, 1)
-- month_6 = datetime.date(2025, 4, 1)
-- month_7 = datetime.date(2025, 1, 1)
-- month_8 = datetime.date(2026, 4, 1)
