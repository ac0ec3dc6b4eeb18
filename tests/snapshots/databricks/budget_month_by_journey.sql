SELECT mart.wh_budget.budget_month AS month, mart.wh_budget.journey_key AS journey_id, sum(mart.wh_budget.planned_eur) AS planned, sum(mart.wh_budget.actual) AS actual 
FROM mart.wh_budget 
WHERE mart.wh_budget.budget_month >= :`month_1` AND mart.wh_budget.budget_month < :`month_2` GROUP BY mart.wh_budget.budget_month, mart.wh_budget.journey_key

-- month_1 = datetime.date(2026, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
