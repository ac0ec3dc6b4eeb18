SELECT persona_touchpoints.persona, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, sum(mart.wh_fact_touchpoint_kpi.num_value) AS numerator, sum(mart.wh_fact_touchpoint_kpi.den_value) AS denominator, count(*) AS rows 
FROM mart.wh_fact_touchpoint_kpi JOIN (SELECT mart.wh_touchpoint.tp_key AS touchpoint_id, CASE WHEN (mart.wh_touchpoint.journey_key IN (%(persona_0_journey_ids_1)s::VARCHAR, %(persona_0_journey_ids_2)s::VARCHAR)) THEN %(persona_0)s::VARCHAR WHEN (mart.wh_touchpoint.journey_key IN (%(persona_1_journey_ids_1)s::VARCHAR)) THEN %(persona_1)s::VARCHAR END AS persona 
FROM mart.wh_touchpoint 
WHERE mart.wh_touchpoint.journey_key IN (%(persona_journey_ids_1)s::VARCHAR, %(persona_journey_ids_2)s::VARCHAR, %(persona_journey_ids_3)s::VARCHAR)) AS persona_touchpoints ON mart.wh_fact_touchpoint_kpi.tp_key = persona_touchpoints.touchpoint_id 
WHERE mart.wh_fact_touchpoint_kpi.event_date >= %(date_1)s::DATE AND mart.wh_fact_touchpoint_kpi.event_date < %(date_2)s::DATE AND mart.wh_fact_touchpoint_kpi.kpi_key IN (%(kpi_id_1_1)s::VARCHAR, %(kpi_id_1_2)s::VARCHAR) GROUP BY persona_touchpoints.persona, mart.wh_fact_touchpoint_kpi.kpi_key

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- kpi_id_1_1 = 'csat'
-- kpi_id_1_2 = 'reach'
-- persona_0 = 'Family on the move'
-- persona_0_journey_ids_1 = 'fault'
-- persona_0_journey_ids_2 = 'kündigung_"sofort"_o\'brien'
-- persona_1 = 'Young professional'
-- persona_1_journey_ids_1 = 'buy'
-- persona_journey_ids_1 = 'buy'
-- persona_journey_ids_2 = 'fault'
-- persona_journey_ids_3 = 'kündigung_"sofort"_o\'brien'
