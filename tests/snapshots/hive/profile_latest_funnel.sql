SELECT max(`wh_funnel`.`event_date`) AS `max_1` 
FROM `mart`.`wh_funnel` 
WHERE `wh_funnel`.`event_date` < %(date_1)s

-- date_1 = datetime.date(2026, 11, 23)
