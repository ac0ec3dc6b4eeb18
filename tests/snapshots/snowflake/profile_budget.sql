SELECT mart.wh_budget.journey_key AS journey_id, mart.wh_budget.touchpoint_id AS touchpoint_id, count(*) AS "rows", sum(CASE WHEN (mart.wh_budget.planned_eur < %(planned_1)s OR mart.wh_budget.actual < %(actual_1)s) THEN %(param_1)s ELSE %(param_2)s END) AS negative_rows, min(mart.wh_budget.planned_eur) AS min_planned, min(mart.wh_budget.actual) AS min_actual, max(mart.wh_budget.budget_month) AS latest_date 
FROM mart.wh_budget GROUP BY mart.wh_budget.journey_key, mart.wh_budget.touchpoint_id

-- actual_1 = 0
-- param_1 = 1
-- param_2 = 0
-- planned_1 = 0
