SELECT CAST(date_trunc('week', mart.wh_funnel.event_date) AS DATE) AS period_start, mart.wh_funnel.journey_key AS journey_id, mart.wh_funnel.stage_id AS stage_id, sum(mart.wh_funnel.customer_count) AS customers 
FROM mart.wh_funnel 
WHERE mart.wh_funnel.event_date >= :`date_1` AND mart.wh_funnel.event_date < :`date_2` AND mart.wh_funnel.journey_key IN (:`scope_journey_ids_1`, :`scope_journey_ids_2`) GROUP BY CAST(date_trunc('week', mart.wh_funnel.event_date) AS DATE), mart.wh_funnel.journey_key, mart.wh_funnel.stage_id

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- scope_journey_ids_1 = 'fault'
-- scope_journey_ids_2 = 'kündigung_"sofort"_o\'brien'
