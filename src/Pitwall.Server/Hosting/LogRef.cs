
namespace Pitwall.Server.Hosting;

/// <summary>
/// Stable, non-reversible references for logs: a VIN identifies a car and through it a person, so logs carry
/// a short hash instead (the same VIN always gives the same reference, to follow one car through the logs).
/// </summary>
public static class LogRef
{
    public static string Vehicle(string vin) => "veh-" + Hashing.Sha256Hex("pitwall-log\n" + vin)[..12];
}
