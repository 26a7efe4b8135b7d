using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Pitwall.Simulator;

/// <summary>
/// Each car's own key for Uptane vehicle manifests (ECDSA P-256), derived from the fleet secret and its VIN — as a car keeps the key it
/// was given at the factory: the server pins a car's key at its first verified manifest, so a fleet restarted with the same secret must
/// sign with the same keys. The private scalar is HMAC-SHA256(secret, "pitwall-manifest-key:" + VIN), re-derived with a counter in the
/// rare case it is not below the curve's order.
/// </summary>
public static class FleetManifestKeys
{
    private static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    public static ECDsa For(ReadOnlySpan<byte> fleetSecret, string vin)
    {
        for (var counter = 0; ; counter++)
        {
            var d = HMACSHA256.HashData(fleetSecret, Encoding.UTF8.GetBytes($"pitwall-manifest-key:{vin}:{counter}"));
            var scalar = new BigInteger(d, isUnsigned: true, isBigEndian: true);
            if (scalar.IsZero || scalar >= Order)
            {
                continue;
            }
            // The public point follows from the private scalar: import it alone and let the platform compute it.
            return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        }
    }
}
