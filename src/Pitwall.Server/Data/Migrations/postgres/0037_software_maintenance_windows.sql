-- Software update campaigns with a maintenance window (REQUIREMENTS F3): the cars install the campaign's update only within a
-- daily time range (e.g. 01:00–05:00 in Europe/Berlin); outside it the offer says the window is closed (DDI:
-- maintenanceWindow "unavailable", update "skip").
ALTER TABLE sw_campaigns ADD COLUMN maintenance_window text;  -- JSON {start, end, timeZone}; null: any time
