SELECT mart.wh_touchpoint.journey_key AS journey_id, mart.wh_fact_touchpoint_kpi.kpi_key AS kpi_id, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= %(date_1)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_2)s) THEN mart.wh_fact_touchpoint_kpi.num_value END) AS numerator_0, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= %(date_3)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_4)s) THEN mart.wh_fact_touchpoint_kpi.den_value END) AS denominator_0, count(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= %(date_5)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_6)s) THEN mart.wh_fact_touchpoint_kpi.event_date END) AS rows_0, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= %(date_7)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_8)s) THEN mart.wh_fact_touchpoint_kpi.num_value END) AS numerator_1, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= %(date_9)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_10)s) THEN mart.wh_fact_touchpoint_kpi.den_value END) AS denominator_1, count(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= %(date_11)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_12)s) THEN mart.wh_fact_touchpoint_kpi.event_date END) AS rows_1, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= %(date_13)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_14)s) THEN mart.wh_fact_touchpoint_kpi.num_value END) AS numerator_2, sum(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= %(date_15)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_16)s) THEN mart.wh_fact_touchpoint_kpi.den_value END) AS denominator_2, count(CASE WHEN (mart.wh_fact_touchpoint_kpi.event_date >= %(date_17)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_18)s) THEN mart.wh_fact_touchpoint_kpi.event_date END) AS rows_2 
FROM mart.wh_fact_touchpoint_kpi JOIN mart.wh_touchpoint ON mart.wh_fact_touchpoint_kpi.tp_key = mart.wh_touchpoint.tp_key 
WHERE mart.wh_fact_touchpoint_kpi.event_date >= %(date_19)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_20)s AND (mart.wh_fact_touchpoint_kpi.event_date >= %(date_21)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_22)s OR mart.wh_fact_touchpoint_kpi.event_date >= %(date_23)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_24)s OR mart.wh_fact_touchpoint_kpi.event_date >= %(date_25)s AND mart.wh_fact_touchpoint_kpi.event_date < %(date_26)s) AND mart.wh_fact_touchpoint_kpi.kpi_key IN (%(kpi_id_1_1)s, %(kpi_id_1_2)s) GROUP BY mart.wh_touchpoint.journey_key, mart.wh_fact_touchpoint_kpi.kpi_key

-- date_1 = datetime.date(2026, 1, 1)
-- date_10 = datetime.date(2026, 1, 1)
-- date_11 = datetime.date(2025, 10, 1)
-- date_12 = datetime.date(2026, 1, 1)
-- date_13 = datetime.date(2025, 1, 1)
-- date_14 = datetime.date(2025, 4, 1)
-- date_15 = datetime.date(2025, 1, 1)
-- date_16 = datetime.date(2025, 4, 1)
-- date_17 = datetime.date(2025, 1, 1)
-- date_18 = datetime.date(2025, 4, 1)
-- date_19 = datetime.date(2025, 1, 1)
-- date_2 = datetime.date(2026, 4, 1)
-- date_20 = datetime.date(2026, 4, 1)
-- date_21 = datetime.date(2026, 1, 1)
-- date_22 = datetime.date(2026, 4, 1)
-- date_23 = datetime.date(2025, 10, 1)
-- date_24 = datetime.date(2026, 1, 1)
-- date_25 = datetime.date(2025, 1, 1)
-- date_26 = datetime.date(2025, 4, 1)
-- date_3 = datetime.date(2026, 1, 1)
-- date_4 = datetime.date(2026, 4, 1)
-- date_5 = datetime.date(2026, 1, 1)
-- date_6 = datetime.date(2026, 4, 1)
-- date_7 = datetime.date(2025, 10, 1)
-- date_8 = datetime.date(2026, 1, 1)
-- date_9 = datetime.date(2025, 10, 1)
-- kpi_id_1_1 = 'csat'
-- kpi_id_1_2 = 'reach'
