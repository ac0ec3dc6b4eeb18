SELECT mart.wh_fact_touchpoint_kpi.event_date AS date, mart.wh_fact_touchpoint_kpi.tp_key AS touchpoint_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, mart.wh_fact_touchpoint_kpi.num_value AS numerator, mart.wh_fact_touchpoint_kpi.den_value AS denominator 
FROM mart.wh_fact_touchpoint_kpi 
WHERE mart.wh_fact_touchpoint_kpi.kpi_key IN ($3, $4, $5, $6, $7, $8, $9, $10, $11) AND (mart.wh_fact_touchpoint_kpi.den_value IS NULL OR mart.wh_fact_touchpoint_kpi.den_value <= $1) ORDER BY mart.wh_fact_touchpoint_kpi.event_date DESC, mart.wh_fact_touchpoint_kpi.tp_key, mart.wh_fact_touchpoint_kpi.kpi_key 
 LIMIT $2

-- denominator_1 = 0
-- kpi_id_1_1 = 'engagement_rate'
-- kpi_id_1_2 = 'conversion_rate'
-- kpi_id_1_3 = 'drop_off_rate'
-- kpi_id_1_4 = 'csat'
-- kpi_id_1_5 = 'nps'
-- kpi_id_1_6 = 'ces'
-- kpi_id_1_7 = 'first_contact_resolution'
-- kpi_id_1_8 = 'response_time'
-- kpi_id_1_9 = 'repeat_purchase_rate'
-- param_1 = 20
