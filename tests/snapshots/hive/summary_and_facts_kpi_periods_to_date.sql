SELECT `kpi_rows`.`kpi_id` AS `kpi_id`, sum(CASE WHEN (`kpi_rows`.`month` >= %(date_1)s AND `kpi_rows`.`month` < %(date_2)s) THEN `kpi_rows`.`numerator` END) AS `numerator_0`, sum(CASE WHEN (`kpi_rows`.`month` >= %(date_1)s AND `kpi_rows`.`month` < %(date_2)s) THEN `kpi_rows`.`denominator` END) AS `denominator_0`, CAST(sum(CASE WHEN (`kpi_rows`.`month` >= %(date_1)s AND `kpi_rows`.`month` < %(date_2)s) THEN `kpi_rows`.`rows` END) AS BIGINT) AS `rows_0`, sum(CASE WHEN (`kpi_rows`.`month` >= %(date_3)s AND `kpi_rows`.`month` < %(date_4)s) THEN `kpi_rows`.`numerator` END) AS `numerator_1`, sum(CASE WHEN (`kpi_rows`.`month` >= %(date_3)s AND `kpi_rows`.`month` < %(date_4)s) THEN `kpi_rows`.`denominator` END) AS `denominator_1`, CAST(sum(CASE WHEN (`kpi_rows`.`month` >= %(date_3)s AND `kpi_rows`.`month` < %(date_4)s) THEN `kpi_rows`.`rows` END) AS BIGINT) AS `rows_1` 
FROM (SELECT `wh_tp_kpi_month`.`kpi_month` AS `month`, `wh_tp_kpi_month`.`tp_key` AS `touchpoint_id`, `wh_tp_kpi_month`.`kpi_key` AS `kpi_id`, `wh_tp_kpi_month`.`num_sum` AS `numerator`, `wh_tp_kpi_month`.`den_sum` AS `denominator`, `wh_tp_kpi_month`.`fact_rows` AS `rows` 
FROM `mart`.`wh_tp_kpi_month` 
WHERE `wh_tp_kpi_month`.`kpi_month` < %(summary_cut)s UNION ALL SELECT `wh_fact_touchpoint_kpi`.`event_date` AS `month`, `wh_fact_touchpoint_kpi`.`tp_key` AS `touchpoint_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, `wh_fact_touchpoint_kpi`.`num_value` AS `numerator`, `wh_fact_touchpoint_kpi`.`den_value` AS `denominator`, 1 AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE `wh_fact_touchpoint_kpi`.`event_date` >= %(summary_cut)s) AS `kpi_rows` JOIN `mart`.`wh_touchpoint` ON `kpi_rows`.`touchpoint_id` = `wh_touchpoint`.`tp_key` 
WHERE `kpi_rows`.`month` >= %(date_5)s AND `kpi_rows`.`month` < %(date_6)s AND (`kpi_rows`.`month` >= %(date_1)s AND `kpi_rows`.`month` < %(date_2)s OR `kpi_rows`.`month` >= %(date_3)s AND `kpi_rows`.`month` < %(date_4)s) AND `kpi_rows`.`kpi_id` IN (%(kpi_id_1_1)s, %(kpi_id_1_2)s) GROUP BY `kpi_rows`.`kpi_id`

-- date_1 = datetime.date(2026, 10, 1)
-- date_2 = datetime.date(2026, 11, 23)
-- date_3 = datetime.date(2026, 1, 1)
-- date_4 = datetime.date(2026, 11, 23)
-- date_5 = datetime.date(2026, 1, 1)
-- date_6 = datetime.date(2026, 11, 23)
-- kpi_id_1_1 = 'csat'
-- kpi_id_1_2 = 'nps'
-- summary_cut = datetime.date(2026, 11, 1)
