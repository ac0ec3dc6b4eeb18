SELECT date_trunc(CAST(`wh_fact_touchpoint_kpi`.`event_date` AS DATE), MONTH) AS `month`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, sum(`wh_fact_touchpoint_kpi`.`num_value`) AS `numerator`, sum(`wh_fact_touchpoint_kpi`.`den_value`) AS `denominator`, count(*) AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` GROUP BY `month`, `kpi_id`

