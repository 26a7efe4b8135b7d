using System.Globalization;
using System.Text;
using Pitwall.Protocol;

namespace Pitwall.Bench;

/// <summary>The benchmark fleet: deterministic VINs, secrets derived from one fleet secret (as <c>vehicle-import --fleet-secret</c> does).</summary>
internal static class Fleet
{
    public const string DefaultSecret = "pitwall-bench-fleet-secret";

    /// <summary>17 characters of the ISO 3779 alphabet: "PWBENCH" (no I, O or Q) and ten digits.</summary>
    public static string Vin(int index) => string.Create(CultureInfo.InvariantCulture, $"PWBENCH{index:D10}");

    public static byte[] Secret(string fleetSecret, string vin) => VehicleAuth.DeriveSecret(Encoding.UTF8.GetBytes(fleetSecret), vin);

    /// <summary>Writes the CSV that <c>pitwall admin vehicle-import</c> reads (header <c>vin,model,model_year</c>).</summary>
    public static void WriteCsv(string path, int count)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("vin,model,model_year\n");
        for (var i = 0; i < count; i++)
        {
            var vin = Vin(i);
            if (!Pitwall.Protocol.Vin.IsValid(vin))
            {
                throw new InvalidOperationException($"Generated an invalid VIN {vin}.");
            }
            writer.Write(vin);
            writer.Write(",Taycan,2025\n"); // a model the included packages fit, so remote commands are entitled
        }
    }
}
