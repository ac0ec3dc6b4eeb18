SELECT persona_touchpoints.persona, CAST(date_trunc('month', mart.wh_tp_kpi_month.kpi_month) AS DATE) AS period_start, persona_touchpoints.touchpoint_id AS touchpoint_id, mart.wh_tp_kpi_month.kpi_key AS kpi_id, sum(mart.wh_tp_kpi_month.num_sum) AS numerator, sum(mart.wh_tp_kpi_month.den_sum) AS denominator, CAST(sum(mart.wh_tp_kpi_month.fact_rows) AS BIGINT) AS rows 
FROM mart.wh_tp_kpi_month JOIN (SELECT mart.wh_touchpoint.tp_key AS touchpoint_id, CASE WHEN (mart.wh_touchpoint.journey_key IN (:persona_0_journey_ids_1, :persona_0_journey_ids_2)) THEN :persona_0 WHEN (mart.wh_touchpoint.journey_key IN (:persona_1_journey_ids_1)) THEN :persona_1 END AS persona 
FROM mart.wh_touchpoint 
WHERE mart.wh_touchpoint.journey_key IN (:persona_journey_ids_1, :persona_journey_ids_2, :persona_journey_ids_3) AND mart.wh_touchpoint.is_mot = true AND mart.wh_touchpoint.tp_key IN (:scope_touchpoint_ids_1, :scope_touchpoint_ids_2, :scope_touchpoint_ids_3)) AS persona_touchpoints ON mart.wh_tp_kpi_month.tp_key = persona_touchpoints.touchpoint_id 
WHERE mart.wh_tp_kpi_month.kpi_month >= :date_1 AND mart.wh_tp_kpi_month.kpi_month < :date_2 AND mart.wh_tp_kpi_month.kpi_key IN (:kpi_id_1_1) GROUP BY persona_touchpoints.persona, CAST(date_trunc('month', mart.wh_tp_kpi_month.kpi_month) AS DATE), persona_touchpoints.touchpoint_id, mart.wh_tp_kpi_month.kpi_key

-- date_1 = datetime.date(2026, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- kpi_id_1_1 = 'csat'
-- persona_0 = 'Family on the move'
-- persona_0_journey_ids_1 = 'fault'
-- persona_0_journey_ids_2 = 'kündigung_"sofort"_o\'brien'
-- persona_1 = 'Young professional'
-- persona_1_journey_ids_1 = 'buy'
-- persona_journey_ids_1 = 'buy'
-- persona_journey_ids_2 = 'fault'
-- persona_journey_ids_3 = 'kündigung_"sofort"_o\'brien'
-- scope_touchpoint_ids_1 = 'tp_fault_hotline'
-- scope_touchpoint_ids_2 = 'tp_move_install'
-- scope_touchpoint_ids_3 = 'tp_move_mailing'
