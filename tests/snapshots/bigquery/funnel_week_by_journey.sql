SELECT date_trunc(CAST(`wh_funnel`.`event_date` AS DATE), ISOWEEK) AS `period_start`, `wh_funnel`.`journey_key` AS `journey_id`, `wh_funnel`.`stage_id` AS `stage_id`, sum(`wh_funnel`.`customer_count`) AS `customers` 
FROM `mart`.`wh_funnel` 
WHERE `wh_funnel`.`event_date` >= :date_1 AND `wh_funnel`.`event_date` < :date_2 AND `wh_funnel`.`journey_key` IN UNNEST(:journey_id_1) GROUP BY `period_start`, `journey_id`, `stage_id`

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- journey_id_1 = ['kündigung_"sofort"_o\'brien', 'buy']
