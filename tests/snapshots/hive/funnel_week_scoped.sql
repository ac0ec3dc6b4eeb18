SELECT to_date(date_trunc('week', `wh_funnel`.`event_date`)) AS `period_start`, `wh_funnel`.`journey_key` AS `journey_id`, `wh_funnel`.`stage_id` AS `stage_id`, sum(`wh_funnel`.`customer_count`) AS `customers` 
FROM `mart`.`wh_funnel` 
WHERE `wh_funnel`.`event_date` >= %(date_1)s AND `wh_funnel`.`event_date` < %(date_2)s AND `wh_funnel`.`journey_key` IN (%(scope_journey_ids_1)s, %(scope_journey_ids_2)s) GROUP BY to_date(date_trunc('week', `wh_funnel`.`event_date`)), `wh_funnel`.`journey_key`, `wh_funnel`.`stage_id`

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- scope_journey_ids_1 = 'fault'
-- scope_journey_ids_2 = 'kündigung_"sofort"_o\'brien'
