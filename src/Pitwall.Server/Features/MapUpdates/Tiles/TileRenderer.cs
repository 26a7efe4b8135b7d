using SkiaSharp;

namespace Pitwall.Server.Features.MapUpdates.Tiles;

/// <summary>
/// Draws a 256-pixel raster tile (PNG) for the portal's Leaflet maps from vector tiles (SkiaSharp): land use, water, buildings and roads
/// in colours close to OpenStreetMap's standard style, no labels. Beyond the vector tiles' deepest zoom it draws the part of the
/// ancestor tile that the requested tile covers (overzoom).
/// </summary>
internal static class TileRenderer
{
    public const int Size = 256;

    private static readonly SKColor Background = SKColor.Parse("#f2efe9");

    /// <summary>Each road class: drawing order (low first), width in pixels at zoom 14, fill, and whether it has a casing or dashes.</summary>
    private static readonly Dictionary<string, (int Order, float Width, SKColor Fill, bool Casing, bool Dashed)> Roads = new(StringComparer.Ordinal)
    {
        ["motorway"] = (9, 6f, SKColor.Parse("#e892a2"), true, false),
        ["trunk"] = (8, 5.5f, SKColor.Parse("#f9b29c"), true, false),
        ["primary"] = (7, 5f, SKColor.Parse("#fcd6a4"), true, false),
        ["secondary"] = (6, 4.5f, SKColor.Parse("#f7fabf"), true, false),
        ["tertiary"] = (5, 4f, SKColors.White, true, false),
        ["motorway_link"] = (4, 3.5f, SKColor.Parse("#e892a2"), true, false),
        ["trunk_link"] = (4, 3.5f, SKColor.Parse("#f9b29c"), true, false),
        ["primary_link"] = (4, 3.5f, SKColor.Parse("#fcd6a4"), true, false),
        ["secondary_link"] = (4, 3.5f, SKColor.Parse("#f7fabf"), true, false),
        ["tertiary_link"] = (4, 3f, SKColors.White, true, false),
        ["residential"] = (3, 3.5f, SKColors.White, true, false),
        ["unclassified"] = (3, 3.5f, SKColors.White, true, false),
        ["living_street"] = (3, 3f, SKColor.Parse("#ededed"), true, false),
        ["pedestrian"] = (3, 3f, SKColor.Parse("#dddde8"), true, false),
        ["service"] = (2, 2f, SKColors.White, true, false),
        ["track"] = (1, 1.2f, SKColor.Parse("#996600"), false, true),
        ["footway"] = (1, 1f, SKColor.Parse("#fa8072"), false, true),
        ["path"] = (1, 1f, SKColor.Parse("#fa8072"), false, true),
        ["cycleway"] = (1, 1f, SKColor.Parse("#0000ff"), false, true),
        ["steps"] = (1, 1.5f, SKColor.Parse("#fa8072"), false, true),
    };

    /// <summary>The PNG of tile <paramref name="z"/>/<paramref name="x"/>/<paramref name="y"/> from the vector tiles of its ancestor at
    /// zoom <paramref name="sourceZoom"/> (the same tile when equal), one list of layers per region that has it.</summary>
    public static byte[] Render(int z, int x, int y, int sourceZoom, IEnumerable<IReadOnlyList<VectorLayer>> sources)
    {
        var layers = sources.SelectMany(s => s).ToList();
        var factor = 1 << (z - sourceZoom);
        var offsetX = -(x - (x >> (z - sourceZoom) << (z - sourceZoom))) * (float)Size;
        var offsetY = -(y - (y >> (z - sourceZoom) << (z - sourceZoom))) * (float)Size;
        var widthScale = MathF.Pow(2, (z - 14) * 0.75f);
        using var surface = SKSurface.Create(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(Background);
        SKPath PathOf(VectorLayer layer, VectorFeature feature)
        {
            var scale = Size * (float)factor / layer.Extent;
            using var path = new SKPathBuilder { FillType = feature.Type == 3 ? SKPathFillType.EvenOdd : SKPathFillType.Winding };
            foreach (var part in feature.Parts)
            {
                for (var i = 0; i < part.Count; i++)
                {
                    var point = new SKPoint(part[i].X * scale + offsetX, part[i].Y * scale + offsetY);
                    if (i == 0)
                    {
                        path.MoveTo(point);
                    }
                    else
                    {
                        path.LineTo(point);
                    }
                }
                if (feature.Type == 3)
                {
                    path.Close();
                }
            }
            return path.Detach();
        }
        void Fill(string layerName, Func<string?, SKColor?> colour, SKColor? outline = null)
        {
            foreach (var layer in layers.Where(l => l.Name == layerName))
            {
                foreach (var feature in layer.Features.Where(f => f.Type == 3))
                {
                    if (colour(feature.Class) is not { } fill)
                    {
                        continue;
                    }
                    using var path = PathOf(layer, feature);
                    using var paint = new SKPaint { Color = fill, IsAntialias = true, Style = SKPaintStyle.Fill };
                    canvas.DrawPath(path, paint);
                    if (outline is { } stroke && z >= 15)
                    {
                        using var edge = new SKPaint { Color = stroke, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.8f };
                        canvas.DrawPath(path, edge);
                    }
                }
            }
        }
        Fill("landuse", c => c == "green" ? SKColor.Parse("#c8facc") : c == "industrial" ? SKColor.Parse("#ebdbe8") : SKColor.Parse("#e0dfdf"));
        Fill("water", _ => SKColor.Parse("#aad3df"));
        foreach (var layer in layers.Where(l => l.Name == "waterway"))
        {
            foreach (var feature in layer.Features.Where(f => f.Type == 2))
            {
                using var path = PathOf(layer, feature);
                using var paint = Stroke(SKColor.Parse("#aad3df"), (feature.Class == "stream" ? 1.5f : 4f) * widthScale);
                canvas.DrawPath(path, paint);
            }
        }
        Fill("building", _ => SKColor.Parse("#d9d0c9"), SKColor.Parse("#c4b6ab"));
        var roads = layers.Where(l => l.Name == "roads")
            .SelectMany(l => l.Features.Where(f => f.Type == 2 && f.Class is not null && Roads.ContainsKey(f.Class)).Select(f => (Layer: l, Feature: f)))
            .OrderBy(r => Roads[r.Feature.Class!].Order).ToList();
        foreach (var casing in new[] { true, false })
        {
            foreach (var (layer, feature) in roads)
            {
                var style = Roads[feature.Class!];
                if (casing && !style.Casing)
                {
                    continue;
                }
                var width = Math.Max(0.6f, style.Width * widthScale);
                using var path = PathOf(layer, feature);
                using var paint = Stroke(casing ? SKColor.Parse("#b4a9a0") : style.Fill, casing ? width + 1.6f : width);
                if (!casing && style.Dashed)
                {
                    paint.PathEffect = SKPathEffect.CreateDash([3f, 2f], 0);
                }
                canvas.DrawPath(path, paint);
            }
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static SKPaint Stroke(SKColor colour, float width) => new()
    {
        Color = colour, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round,
    };
}
