SELECT mart.wh_stage.stage_key AS stage_id, mart.wh_stage.journey_key AS journey_id, mart.wh_stage.name AS name, mart.wh_stage.stage_order AS position 
FROM mart.wh_stage

