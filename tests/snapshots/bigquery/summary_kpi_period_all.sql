SELECT `wh_tp_kpi_month`.`kpi_key` AS `kpi_id`, sum(`wh_tp_kpi_month`.`num_sum`) AS `numerator`, sum(`wh_tp_kpi_month`.`den_sum`) AS `denominator`, CAST(sum(`wh_tp_kpi_month`.`fact_rows`) AS INT64) AS `rows` 
FROM `mart`.`wh_tp_kpi_month` JOIN `mart`.`wh_touchpoint` ON `wh_tp_kpi_month`.`tp_key` = `wh_touchpoint`.`tp_key` 
WHERE `wh_tp_kpi_month`.`kpi_month` >= :date_1 AND `wh_tp_kpi_month`.`kpi_month` < :date_2 AND `wh_tp_kpi_month`.`kpi_key` IN UNNEST(:kpi_id_1) GROUP BY `kpi_id`

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- kpi_id_1 = ['csat', 'reach']
