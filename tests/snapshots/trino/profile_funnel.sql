SELECT mart.wh_funnel.journey_key AS journey_id, mart.wh_funnel.stage_id AS stage_id, count(*) AS rows, count(mart.wh_funnel.event_date) - count(DISTINCT mart.wh_funnel.event_date) AS duplicate_rows, sum(CASE WHEN (mart.wh_funnel.event_date IS NULL OR mart.wh_funnel.journey_key IS NULL OR mart.wh_funnel.stage_id IS NULL) THEN :param_1 ELSE :param_2 END) AS bad_keys, sum(CASE WHEN (mart.wh_funnel.customer_count < :customers_1) THEN :param_3 ELSE :param_4 END) AS negative_customers, sum(CASE WHEN (mart.wh_funnel.event_date >= :date_1) THEN :param_5 ELSE :param_6 END) AS future_rows, max(CASE WHEN (mart.wh_funnel.event_date < :date_2) THEN mart.wh_funnel.event_date END) AS latest_date 
FROM mart.wh_funnel GROUP BY mart.wh_funnel.journey_key, mart.wh_funnel.stage_id

-- customers_1 = 0
-- date_1 = datetime.date(2026, 11, 23)
-- date_2 = datetime.date(2026, 11, 23)
-- param_1 = 1
-- param_2 = 0
-- param_3 = 1
-- param_4 = 0
-- param_5 = 1
-- param_6 = 0
