SELECT mart.wh_budget.touchpoint_id AS touchpoint_id, mart.wh_budget.channel AS channel, sum(mart.wh_budget.planned_eur) AS planned, sum(mart.wh_budget.actual) AS actual 
FROM mart.wh_budget 
WHERE mart.wh_budget.budget_month >= :month_1 AND mart.wh_budget.budget_month < :month_2 GROUP BY mart.wh_budget.touchpoint_id, mart.wh_budget.channel

-- month_1 = datetime.date(2026, 1, 1)
-- month_2 = datetime.date(2026, 4, 1)
