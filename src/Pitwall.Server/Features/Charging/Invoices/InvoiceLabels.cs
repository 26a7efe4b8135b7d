namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>The PDF's words in English, German and French (the account's locale; English otherwise). The portal's HTML view takes
/// its words from ChargingText's resx files.</summary>
internal static class InvoiceLabels
{
    private static readonly string[] Keys =
    [
        "Invoice", "Credit note", "VAT id", "Date", "Period", "Contract id", "Corrects invoice", "Reason", "Charge", "Quantity", "Unit price", "VAT", "Net",
        "Total", "ENERGY", "TIME", "PARKING_TIME", "FLAT", "TOTAL", "CORRECTION", "Paid by card ending in {0}.", "Please pay by bank transfer.",
        "The amount is paid back to your card.",
    ];

    private static readonly string[] German =
    [
        "Rechnung", "Gutschrift", "USt-IdNr.", "Datum", "Zeitraum", "Vertragsnummer", "Korrigiert Rechnung", "Grund", "Ladevorgang", "Menge", "Einzelpreis",
        "USt.", "Netto", "Gesamt", "Energie", "Ladezeit", "Parkzeit", "Grundgebühr", "Betrag des Betreibers", "Korrektur", "Bezahlt mit der Karte auf {0}.",
        "Bitte überweisen Sie den Betrag.", "Der Betrag wird Ihrer Karte gutgeschrieben.",
    ];

    private static readonly string[] French =
    [
        "Facture", "Avoir", "N° TVA", "Date", "Période", "Numéro de contrat", "Corrige la facture", "Motif", "Recharge", "Quantité", "Prix unitaire", "TVA",
        "HT", "Total", "Énergie", "Temps de charge", "Stationnement", "Forfait", "Montant de l'opérateur", "Correction", "Payé par la carte se terminant par {0}.",
        "Veuillez payer par virement.", "Le montant est remboursé sur votre carte.",
    ];

    private static readonly Dictionary<string, string> English = new(Keys.Select(k => KeyValuePair.Create(k, k switch
    {
        "ENERGY" => "Energy",
        "TIME" => "Charging time",
        "PARKING_TIME" => "Parking time",
        "FLAT" => "Flat fee",
        "TOTAL" => "Operator's amount",
        "CORRECTION" => "Correction",
        _ => k,
    })), StringComparer.Ordinal);

    private static readonly Dictionary<string, string> De = new(Keys.Zip(German, KeyValuePair.Create), StringComparer.Ordinal);
    private static readonly Dictionary<string, string> Fr = new(Keys.Zip(French, KeyValuePair.Create), StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> For(string? locale) => locale?.Split('-')[0] switch
    {
        "de" => De,
        "fr" => Fr,
        _ => English,
    };
}
