SELECT `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, sum(`wh_fact_touchpoint_kpi`.`num_value`) AS `numerator`, sum(`wh_fact_touchpoint_kpi`.`den_value`) AS `denominator`, count(*) AS `rows` 
FROM `mart`.`wh_fact_touchpoint_kpi` JOIN `mart`.`wh_touchpoint` ON `wh_fact_touchpoint_kpi`.`tp_key` = `wh_touchpoint`.`tp_key` 
WHERE `wh_fact_touchpoint_kpi`.`event_date` >= %(date_1)s AND `wh_fact_touchpoint_kpi`.`event_date` < %(date_2)s AND `wh_fact_touchpoint_kpi`.`kpi_key` IN (%(kpi_id_1_1)s, %(kpi_id_1_2)s) AND `wh_touchpoint`.`tp_key` IN (%(scope_touchpoint_ids_1)s, %(scope_touchpoint_ids_2)s, %(scope_touchpoint_ids_3)s) GROUP BY `wh_fact_touchpoint_kpi`.`kpi_key`

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- kpi_id_1_1 = 'csat'
-- kpi_id_1_2 = 'reach'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
