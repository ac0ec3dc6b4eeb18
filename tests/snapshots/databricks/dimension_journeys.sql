SELECT mart.wh_journey.journey_key AS journey_id, mart.wh_journey.journey_name AS name, mart.wh_journey.persona AS persona, mart.wh_journey.owner AS owner, mart.wh_journey.description AS description 
FROM mart.wh_journey

