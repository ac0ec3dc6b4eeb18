SELECT min(`wh_fact_touchpoint_kpi`.`event_date`) AS `min_1`, max(`wh_fact_touchpoint_kpi`.`event_date`) AS `max_1` 
FROM `mart`.`wh_fact_touchpoint_kpi`

