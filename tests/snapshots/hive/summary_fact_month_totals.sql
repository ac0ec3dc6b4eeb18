SELECT to_date(date_trunc('month', `wh_fact_touchpoint_kpi`.`event_date`)) AS `month`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, sum(`wh_fact_touchpoint_kpi`.`num_value`) AS `numerator`, sum(`wh_fact_touchpoint_kpi`.`den_value`) AS `denominator`, count(*) AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` GROUP BY to_date(date_trunc('month', `wh_fact_touchpoint_kpi`.`event_date`)), `wh_fact_touchpoint_kpi`.`kpi_key`

