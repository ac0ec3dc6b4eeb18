SELECT `wh_fact_touchpoint_kpi`.`event_date` AS `date`, `wh_fact_touchpoint_kpi`.`tp_key` AS `touchpoint_id`, `wh_fact_touchpoint_kpi`.`kpi_key` AS `kpi_id`, count(*) AS `copies` 
FROM `mart`.`wh_fact_touchpoint_kpi` 
WHERE `wh_fact_touchpoint_kpi`.`tp_key` IN UNNEST(:touchpoint_id_1) AND `wh_fact_touchpoint_kpi`.`event_date` >= :date_1 GROUP BY `date`, `touchpoint_id`, `kpi_id` 
HAVING count(*) > :count_1 ORDER BY `wh_fact_touchpoint_kpi`.`event_date` DESC, `wh_fact_touchpoint_kpi`.`tp_key`, `wh_fact_touchpoint_kpi`.`kpi_key`
 LIMIT :param_1

-- count_1 = 1
-- date_1 = datetime.date(2026, 7, 27)
-- param_1 = 20
-- touchpoint_id_1 = ['tp_buy_store_advice', 'tp_move_install']
