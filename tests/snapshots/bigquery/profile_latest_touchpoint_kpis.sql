SELECT max(`wh_fact_touchpoint_kpi`.`event_date`) AS `max_1` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE `wh_fact_touchpoint_kpi`.`event_date` < :date_1

-- date_1 = datetime.date(2026, 11, 23)
