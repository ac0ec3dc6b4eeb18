SELECT min(CASE WHEN (`wh_fact_touchpoint_kpi`.`event_date` < :date_1) THEN `wh_fact_touchpoint_kpi`.`event_date` END) AS `min_1`, max(CASE WHEN (`wh_fact_touchpoint_kpi`.`event_date` >= :date_2) THEN `wh_fact_touchpoint_kpi`.`event_date` END) AS `max_1` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE (`wh_fact_touchpoint_kpi`.`event_date` < :date_3 OR `wh_fact_touchpoint_kpi`.`event_date` >= :date_4) AND `wh_fact_touchpoint_kpi`.`event_date` < :date_5

-- date_1 = datetime.date(2025, 2, 1)
-- date_2 = datetime.date(2026, 11, 1)
-- date_3 = datetime.date(2025, 2, 1)
-- date_4 = datetime.date(2026, 11, 1)
-- date_5 = datetime.date(2026, 11, 23)
