SELECT to_date(date_trunc('month', `wh_fact_touchpoint_kpi`.`event_date`)) AS `month`, `wh_fact_touchpoint_kpi`.`tp_key` AS `touchpoint_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, sum(`wh_fact_touchpoint_kpi`.`num_value`) AS `numerator`, sum(`wh_fact_touchpoint_kpi`.`den_value`) AS `denominator`, count(*) AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE to_date(date_trunc('month', `wh_fact_touchpoint_kpi`.`event_date`)) IN (%(months_1)s) OR `wh_fact_touchpoint_kpi`.`tp_key` IN (%(touchpoint_ids_1)s, %(touchpoint_ids_2)s) GROUP BY to_date(date_trunc('month', `wh_fact_touchpoint_kpi`.`event_date`)), `wh_fact_touchpoint_kpi`.`tp_key`, `wh_fact_touchpoint_kpi`.`kpi_key`

-- months_1 = datetime.date(2026, 3, 1)
-- touchpoint_ids_1 = 'tp_buy_store_advice'
-- touchpoint_ids_2 = 'tp_move_install'
