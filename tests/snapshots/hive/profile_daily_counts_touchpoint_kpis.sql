SELECT `wh_fact_touchpoint_kpi`.`event_date` AS `date`, count(*) AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE `wh_fact_touchpoint_kpi`.`event_date` >= %(date_1)s AND `wh_fact_touchpoint_kpi`.`event_date` < %(date_2)s GROUP BY `wh_fact_touchpoint_kpi`.`event_date`

-- date_1 = datetime.date(2026, 7, 27)
-- date_2 = datetime.date(2026, 11, 23)
