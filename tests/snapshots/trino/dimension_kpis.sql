SELECT mart.wh_kpi.kpi_key AS kpi_id, mart.wh_kpi.name AS name, mart.wh_kpi.unit AS unit, mart.wh_kpi.direction AS direction, mart.wh_kpi.aggregation AS aggregation, mart.wh_kpi.kpi_scale AS scale, mart.wh_kpi.description AS description 
FROM mart.wh_kpi

