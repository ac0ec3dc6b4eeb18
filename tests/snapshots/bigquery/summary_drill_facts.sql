SELECT date_trunc(CAST(`wh_fact_touchpoint_kpi`.`event_date` AS DATE), MONTH) AS `month`, `wh_fact_touchpoint_kpi`.`tp_key` AS `touchpoint_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, sum(`wh_fact_touchpoint_kpi`.`num_value`) AS `numerator`, sum(`wh_fact_touchpoint_kpi`.`den_value`) AS `denominator`, count(*) AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE date_trunc(CAST(`wh_fact_touchpoint_kpi`.`event_date` AS DATE), MONTH) IN UNNEST(:months) OR `wh_fact_touchpoint_kpi`.`tp_key` IN UNNEST(:touchpoint_ids) GROUP BY `month`, `touchpoint_id`, `kpi_id`

-- months = [datetime.date(2026, 3, 1)]
-- touchpoint_ids = ['tp_buy_store_advice', 'tp_move_install']
