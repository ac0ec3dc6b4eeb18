SELECT `wh_touchpoint`.`tp_key` AS `touchpoint_id`, `wh_tp_kpi_month`.`kpi_key` AS `kpi_id`, sum(CASE WHEN (`wh_tp_kpi_month`.`kpi_month` >= %(date_1)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_2)s) THEN `wh_tp_kpi_month`.`num_sum` END) AS `numerator_0`, sum(CASE WHEN (`wh_tp_kpi_month`.`kpi_month` >= %(date_1)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_2)s) THEN `wh_tp_kpi_month`.`den_sum` END) AS `denominator_0`, CAST(sum(CASE WHEN (`wh_tp_kpi_month`.`kpi_month` >= %(date_1)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_2)s) THEN `wh_tp_kpi_month`.`fact_rows` END) AS BIGINT) AS `rows_0`, sum(CASE WHEN (`wh_tp_kpi_month`.`kpi_month` >= %(date_3)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_4)s) THEN `wh_tp_kpi_month`.`num_sum` END) AS `numerator_1`, sum(CASE WHEN (`wh_tp_kpi_month`.`kpi_month` >= %(date_3)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_4)s) THEN `wh_tp_kpi_month`.`den_sum` END) AS `denominator_1`, CAST(sum(CASE WHEN (`wh_tp_kpi_month`.`kpi_month` >= %(date_3)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_4)s) THEN `wh_tp_kpi_month`.`fact_rows` END) AS BIGINT) AS `rows_1`, sum(CASE WHEN (`wh_tp_kpi_month`.`kpi_month` >= %(date_5)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_6)s) THEN `wh_tp_kpi_month`.`num_sum` END) AS `numerator_2`, sum(CASE WHEN (`wh_tp_kpi_month`.`kpi_month` >= %(date_5)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_6)s) THEN `wh_tp_kpi_month`.`den_sum` END) AS `denominator_2`, CAST(sum(CASE WHEN (`wh_tp_kpi_month`.`kpi_month` >= %(date_5)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_6)s) THEN `wh_tp_kpi_month`.`fact_rows` END) AS BIGINT) AS `rows_2` 
FROM `mart`.`wh_tp_kpi_month` JOIN `mart`.`wh_touchpoint` ON `wh_tp_kpi_month`.`tp_key` = `wh_touchpoint`.`tp_key` 
WHERE `wh_tp_kpi_month`.`kpi_month` >= %(date_7)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_8)s AND (`wh_tp_kpi_month`.`kpi_month` >= %(date_1)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_2)s OR `wh_tp_kpi_month`.`kpi_month` >= %(date_3)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_4)s OR `wh_tp_kpi_month`.`kpi_month` >= %(date_5)s AND `wh_tp_kpi_month`.`kpi_month` < %(date_6)s) AND `wh_tp_kpi_month`.`kpi_key` IN (%(kpi_id_1_1)s) AND `wh_touchpoint`.`is_mot` = true AND `wh_touchpoint`.`tp_key` IN (%(scope_touchpoint_ids_1)s, %(scope_touchpoint_ids_2)s, %(scope_touchpoint_ids_3)s) GROUP BY `wh_touchpoint`.`tp_key`, `wh_tp_kpi_month`.`kpi_key`

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- date_3 = datetime.date(2025, 10, 1)
-- date_4 = datetime.date(2026, 1, 1)
-- date_5 = datetime.date(2025, 1, 1)
-- date_6 = datetime.date(2025, 4, 1)
-- date_7 = datetime.date(2025, 1, 1)
-- date_8 = datetime.date(2026, 4, 1)
-- kpi_id_1_1 = 'csat'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
