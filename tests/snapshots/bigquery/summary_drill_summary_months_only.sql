SELECT `wh_tp_kpi_month`.`kpi_month` AS `month`, `wh_tp_kpi_month`.`tp_key` AS `touchpoint_id`, `wh_tp_kpi_month`.`kpi_key` AS `kpi_id`, sum(`wh_tp_kpi_month`.`num_sum`) AS `numerator`, sum(`wh_tp_kpi_month`.`den_sum`) AS `denominator`, sum(`wh_tp_kpi_month`.`fact_rows`) AS `rows` 
FROM `mart`.`wh_tp_kpi_month` 
WHERE `wh_tp_kpi_month`.`kpi_month` IN UNNEST(:months) GROUP BY `month`, `touchpoint_id`, `kpi_id`

-- months = [datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)]
