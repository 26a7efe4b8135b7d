namespace Pitwall.Server.Hosting.Auth;

/// <summary>Endpoint metadata: the endpoint checks a third-party app's consent per car and scope itself (the vehicle-service gate
/// puts it there), so the coarse vehicle scopes do not apply to such a token.</summary>
public sealed class VehicleConsentGate
{
    public static readonly VehicleConsentGate Instance = new();

    private VehicleConsentGate()
    {
    }
}
