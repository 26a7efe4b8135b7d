namespace Pitwall.Server.Data.Privacy;

/// <summary>
/// One kind of datum that may leave the platform towards a processor (P4). A <see cref="Processor"/> declares the elements it
/// may receive; every outbound call describes its data in these terms, and the processor gateway
/// (<c>Features/Privacy/Processors/ProcessorGateway</c>) lets through only what the declaration names. The register lists
/// the same declarations, so the document and the enforcement cannot drift apart.
/// </summary>
public enum DataElement
{
    /// <summary>Our id of one message (a notification delivery), for the provider's deduplication and our correlation.</summary>
    MessageId,

    /// <summary>The kind of notification (<c>charging.error</c>, …).</summary>
    NotificationType,

    /// <summary>A message's short heading (free text).</summary>
    Title,

    /// <summary>A message's text (free text).</summary>
    Text,

    /// <summary>When the event happened.</summary>
    Time,

    /// <summary>A push device token of an app installation.</summary>
    DeviceToken,

    /// <summary>A user's phone number.</summary>
    PhoneNumber,

    /// <summary>A user's e-mail address.</summary>
    EmailAddress,

    /// <summary>The URL of a webhook receiver the account set up.</summary>
    WebhookUrl,

    /// <summary>The vehicle identification number.</summary>
    Vin,

    /// <summary>A geographic position (latitude and longitude).</summary>
    Position,

    /// <summary>The coordinates of one map tile (zoom, column, row): an area of the map, not a point.</summary>
    TileCoordinates,

    /// <summary>What the car looks like: model, model year, colour, registration number.</summary>
    VehicleDescription,

    /// <summary>Readings the car reported besides its position: speed, ignition, range, mileage, levels, voltages.</summary>
    VehicleSignals,

    /// <summary>The owner's security question (never the answer), for checking a caller's identity.</summary>
    SecurityQuestion,

    /// <summary>A short-lived access key that lets its holder see one thing (e.g. a car's position on a map).</summary>
    AccessKey,

    /// <summary>A charging token as OCPI carries it: its uid, type, contract id (eMA-ID), printed number and validity — never the
    /// account, its name or the car.</summary>
    ChargingToken,

    /// <summary>A payment order for a payment provider: the provider's card token, the amount, the currency and the invoice or credit
    /// note number — never a card number, the customer's name or address.</summary>
    PaymentOrder,

    /// <summary>A map package a car asks for: the region, the version it has and the version it gets (F5) — a region, never a position.</summary>
    MapPackage,

    /// <summary>An anonymous authorisation token (Privacy Pass, blind-signed): proves the holder may fetch, and nothing about who holds it.</summary>
    AnonymousToken,
}

public static class DataElements
{
    /// <summary>Elements people write sentences into: the gateway redacts VINs and coordinates found in them for processors
    /// that may not receive a VIN or a position.</summary>
    public static bool IsFreeText(this DataElement element) => element is DataElement.Title or DataElement.Text;

    /// <summary>How the register names the element.</summary>
    public static string Describe(this DataElement element) => element switch
    {
        DataElement.MessageId => "message id",
        DataElement.NotificationType => "notification type",
        DataElement.Title => "title",
        DataElement.Text => "text",
        DataElement.Time => "time",
        DataElement.DeviceToken => "device token",
        DataElement.PhoneNumber => "phone number",
        DataElement.EmailAddress => "e-mail address",
        DataElement.WebhookUrl => "webhook URL",
        DataElement.Vin => "VIN",
        DataElement.Position => "position",
        DataElement.TileCoordinates => "tile coordinates",
        DataElement.VehicleDescription => "vehicle description",
        DataElement.VehicleSignals => "vehicle signals",
        DataElement.SecurityQuestion => "security question",
        DataElement.AccessKey => "access key",
        DataElement.ChargingToken => "charging token (uid, type, contract id, printed number, validity)",
        DataElement.PaymentOrder => "payment order (card token, amount, currency, invoice number)",
        DataElement.MapPackage => "map package (region, version had, version got)",
        DataElement.AnonymousToken => "anonymous token (blind-signed, unlinkable to the car)",
        _ => element.ToString(),
    };
}
