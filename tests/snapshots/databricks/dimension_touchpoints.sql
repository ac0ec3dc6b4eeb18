SELECT mart.wh_touchpoint.tp_key AS touchpoint_id, mart.wh_touchpoint.journey_key AS journey_id, mart.wh_touchpoint.stage_key AS stage_id, mart.wh_touchpoint.name AS name, mart.wh_touchpoint.channel_name AS channel, mart.wh_touchpoint.`tp owner` AS owner, mart.wh_touchpoint.is_mot AS moment_of_truth, mart.wh_touchpoint.kano AS kano, mart.wh_touchpoint.weight AS weight, mart.wh_touchpoint.third_party AS third_party 
FROM mart.wh_touchpoint

