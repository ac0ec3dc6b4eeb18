SELECT `wh_funnel`.`event_date` AS `date`, count(*) AS `rows` 
FROM `mart`.`wh_funnel` 
WHERE `wh_funnel`.`event_date` >= :date_1 AND `wh_funnel`.`event_date` < :date_2 GROUP BY `wh_funnel`.`event_date`

-- date_1 = datetime.date(2026, 7, 27)
-- date_2 = datetime.date(2026, 11, 23)
