using System.Globalization;
using nietras.SeparatedValues;

namespace Pitwall.Simulator.Cpo;

/// <summary>One charge point of a station: its plug types (as the register names them) and its power.</summary>
public sealed record ChargePoint(string Plugs, double PowerKw);

/// <summary>A public charging device from the Bundesnetzagentur's register (CC BY 4.0; see Cpo/README.md).</summary>
public sealed record Station(string Id, string Operator, string Street, string Postcode, string City, double Latitude, double Longitude, IReadOnlyList<ChargePoint> Points);

/// <summary>The 385 real stations of the Rhine-Neckar area the CPO simulator runs.</summary>
public static class Stations
{
    public static IReadOnlyList<Station> RhineNeckar()
    {
        using var stream = typeof(Stations).Assembly.GetManifestResourceStream("stations-rhine-neckar.csv")
                           ?? throw new InvalidOperationException("The station list is not embedded.");
        using var text = new StreamReader(stream);
        using var reader = Sep.Reader(o => o with { HasHeader = true, Unescape = true }).From(text);
        var stations = new List<Station>();
        foreach (var row in reader)
        {
            var points = new List<ChargePoint>();
            for (var n = 1; n <= 4; n++)
            {
                var plugs = row[$"plugs_{n}"].ToString();
                if (plugs.Length > 0)
                {
                    points.Add(new(plugs, double.TryParse(row[$"power_kw_{n}"].ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var kw) ? kw : 11));
                }
            }
            if (points.Count == 0)
            {
                points.Add(new("AC Steckdose Typ 2", 11));
            }
            stations.Add(new(
                $"BNA{stations.Count + 1:D5}", row["operator"].ToString(), row["street"].ToString(), row["postcode"].ToString(), row["city"].ToString(),
                row["lat"].Parse<double>(), row["lon"].Parse<double>(), points));
        }
        return stations;
    }
}
