SELECT mart.wh_fact_touchpoint_kpi.event_date AS date, mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, mart.wh_fact_touchpoint_kpi.num_value AS numerator, mart.wh_fact_touchpoint_kpi.den_value AS denominator 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.kpi_key IN (:`kpi_id_1_1`, :`kpi_id_1_2`, :`kpi_id_1_3`, :`kpi_id_1_4`, :`kpi_id_1_5`) AND mart.wh_fact_touchpoint_kpi.den_value > :`denominator_1` AND mart.wh_fact_touchpoint_kpi.num_value > mart.wh_fact_touchpoint_kpi.den_value ORDER BY mart.wh_fact_touchpoint_kpi.event_date DESC, mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key
 LIMIT :`param_1`

-- denominator_1 = 0
-- kpi_id_1_1 = 'engagement_rate'
-- kpi_id_1_2 = 'conversion_rate'
-- kpi_id_1_3 = 'drop_off_rate'
-- kpi_id_1_4 = 'first_contact_resolution'
-- kpi_id_1_5 = 'repeat_purchase_rate'
-- param_1 = 20
