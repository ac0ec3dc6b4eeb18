SELECT `wh_tp_kpi_month`.`tp_key` AS `touchpoint_id`, `wh_tp_kpi_month`.`kpi_key` AS `kpi_id`, sum(`wh_tp_kpi_month`.`num_sum`) AS `numerator`, sum(`wh_tp_kpi_month`.`den_sum`) AS `denominator`, sum(`wh_tp_kpi_month`.`fact_rows`) AS `rows` 
FROM `mart`.`wh_tp_kpi_month` GROUP BY `wh_tp_kpi_month`.`tp_key`, `wh_tp_kpi_month`.`kpi_key`

