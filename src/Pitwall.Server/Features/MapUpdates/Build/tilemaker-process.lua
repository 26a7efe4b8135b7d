-- Pitwall's map tiles (tilemaker 2.x Lua API): roads with their class, water, land use and buildings; what the portal's
-- raster tiles draw (Features/MapUpdates/TileRenderer.cs). No labels, no points of interest.

node_keys = {}

function node_function(node)
end

-- Road classes and the zoom from which each is in the tiles.
local roads = {
  motorway = 8, motorway_link = 10, trunk = 8, trunk_link = 10, primary = 9, primary_link = 11,
  secondary = 10, secondary_link = 12, tertiary = 11, tertiary_link = 12, unclassified = 12, residential = 12,
  living_street = 13, service = 14, pedestrian = 13, track = 14, footway = 14, path = 14, cycleway = 14, steps = 14,
}

local green = { forest = true, grass = true, meadow = true, recreation_ground = true, village_green = true, cemetery = true,
  wood = true, scrub = true, park = true, garden = true, pitch = true, golf_course = true, allotments = true }
local built = { residential = true, commercial = true, retail = true, industrial = true }

function way_function(way)
  local highway = way:Find("highway")
  if roads[highway] then
    way:Layer("roads", false)
    way:Attribute("class", highway)
    way:MinZoom(roads[highway])
    return
  end
  local closed = way:IsClosed() or way:Find("type") == "multipolygon"
  local natural = way:Find("natural")
  local waterway = way:Find("waterway")
  if (natural == "water" or natural == "bay" or waterway == "riverbank" or way:Find("landuse") == "reservoir" or way:Find("landuse") == "basin") and closed then
    way:Layer("water", true)
    return
  end
  if waterway == "river" or waterway == "canal" or waterway == "stream" then
    way:Layer("waterway", false)
    way:Attribute("class", waterway)
    return
  end
  if way:Find("building") ~= "" and closed then
    way:Layer("building", true)
    return
  end
  local landuse = way:Find("landuse")
  local leisure = way:Find("leisure")
  if closed and (green[landuse] or green[natural] or green[leisure]) then
    way:Layer("landuse", true)
    way:Attribute("class", "green")
  elseif closed and built[landuse] then
    way:Layer("landuse", true)
    way:Attribute("class", landuse)
  end
end
