SELECT max(mart.wh_budget.budget_month) AS max_1 
FROM mart.wh_budget 
WHERE mart.wh_budget.budget_month < :`month_1`

-- month_1 = datetime.date(2026, 11, 23)
