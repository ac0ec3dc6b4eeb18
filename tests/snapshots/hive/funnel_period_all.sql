SELECT `wh_funnel`.`journey_key` AS `journey_id`, `wh_funnel`.`stage_id` AS `stage_id`, sum(`wh_funnel`.`customer_count`) AS `customers` 
FROM `mart`.`wh_funnel` 
WHERE `wh_funnel`.`event_date` >= %(date_1)s AND `wh_funnel`.`event_date` < %(date_2)s GROUP BY `wh_funnel`.`journey_key`, `wh_funnel`.`stage_id`

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
