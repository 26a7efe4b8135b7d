using System.Globalization;
using System.Reflection;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>
/// The invoice as PDF (A4), drawn with PDFsharp (MIT) in DejaVu Sans, which ships inside the server (no system fonts needed): the
/// issuer with its VAT id, the customer's name and address, number, date and period, each charge with its priced components, VAT per
/// rate, the total, and how it is paid (card by its last four digits). Labels in the account's language (en, de, fr).
/// </summary>
internal static class InvoicePdf
{
    private const string Family = "DejaVu Sans";
    private const double Left = 50, Right = 545, Bottom = 790;

    static InvoicePdf()
    {
        GlobalFontSettings.FontResolver ??= new EmbeddedFonts();
    }

    public static byte[] Render(InvoiceResponse invoice, string locale, string issuerAddress, string vatId)
    {
        var text = InvoiceLabels.For(locale);
        var document = new PdfDocument();
        document.Info.Title = $"{text[invoice.Kind == InvoiceNumbers.CreditNote ? "Credit note" : "Invoice"]} {invoice.Number}";
        document.Info.Author = issuerAddress.Split('|')[0];
        var regular = new XFont(Family, 9, XFontStyleEx.Regular);
        var bold = new XFont(Family, 9, XFontStyleEx.Bold);
        var title = new XFont(Family, 16, XFontStyleEx.Bold);
        var page = new Pager(document);

        var y = 50.0;
        foreach (var line in issuerAddress.Split('|'))
        {
            page.Gfx.DrawString(line, regular, XBrushes.Black, new XRect(300, y, Right - 300, 12), XStringFormats.TopRight);
            y += 12;
        }
        page.Gfx.DrawString($"{text["VAT id"]}: {vatId}", regular, XBrushes.Black, new XRect(300, y, Right - 300, 12), XStringFormats.TopRight);
        y = 130;
        foreach (var line in new[] { invoice.Customer.Name, invoice.Customer.Street, $"{invoice.Customer.PostalCode} {invoice.Customer.City}".Trim(), invoice.Customer.Country })
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                page.Gfx.DrawString(line, regular, XBrushes.Black, Left, y, XStringFormats.TopLeft);
                y += 12;
            }
        }
        y = 210;
        page.Gfx.DrawString(document.Info.Title, title, XBrushes.Black, Left, y, XStringFormats.TopLeft);
        y += 26;
        foreach (var (label, value) in new[]
        {
            (text["Date"], invoice.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (text["Period"], invoice.Period),
            (text["Contract id"], invoice.ContractId),
            (text["Corrects invoice"], invoice.Corrects ?? ""),
            (text["Reason"], invoice.Reason ?? ""),
        })
        {
            if (value.Length > 0)
            {
                page.Gfx.DrawString($"{label}: {value}", regular, XBrushes.Black, Left, y, XStringFormats.TopLeft);
                y += 12;
            }
        }
        y += 10;
        string[] headers = [text["Charge"], text["Quantity"], text["Unit price"], text["VAT"], text["Net"]];
        double[] columns = [Left, 330, 400, 460, Right];
        void Header()
        {
            for (var i = 0; i < headers.Length; i++)
            {
                Cell(page.Gfx, headers[i], bold, columns, i, y);
            }
            y += 14;
        }
        Header();
        foreach (var item in invoice.Items)
        {
            if (y > Bottom - 60)
            {
                page.Next();
                y = 50;
                Header();
            }
            var where = string.Join(", ", new[] { item.Station, item.City }.Where(s => !string.IsNullOrWhiteSpace(s)));
            page.Gfx.DrawString(Fit($"{item.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm}–{item.EndedAt.UtcDateTime:HH:mm} UTC  {where}", 95), bold, XBrushes.Black, Left, y, XStringFormats.TopLeft);
            y += 12;
            page.Gfx.DrawString(Fit($"{item.Operator}  {item.EvseId}  CDR {item.CdrId}", 110), regular, XBrushes.Gray, Left + 8, y, XStringFormats.TopLeft);
            y += 12;
            foreach (var c in item.Components)
            {
                Cell(page.Gfx, "  " + text[c.Type], regular, columns, 0, y);
                Cell(page.Gfx, Quantity(c), regular, columns, 1, y);
                Cell(page.Gfx, Money(c.UnitPrice, 4), regular, columns, 2, y);
                Cell(page.Gfx, $"{c.VatRate.ToString("0.##", CultureInfo.InvariantCulture)} %", regular, columns, 3, y);
                Cell(page.Gfx, Money(c.Net, 2), regular, columns, 4, y);
                y += 12;
            }
            y += 4;
        }
        if (y > Bottom - 40 - 14 * (invoice.VatAmounts.Count + 3))
        {
            page.Next();
            y = 50;
        }
        page.Gfx.DrawLine(XPens.Black, 330, y, Right, y);
        y += 6;
        void Sum(string label, decimal amount, XFont font)
        {
            page.Gfx.DrawString(label, font, XBrushes.Black, 330, y, XStringFormats.TopLeft);
            page.Gfx.DrawString($"{Money(amount, 2)} {invoice.Currency}", font, XBrushes.Black, new XRect(400, y, Right - 400, 12), XStringFormats.TopRight);
            y += 14;
        }
        Sum(text["Net"], invoice.Net, regular);
        foreach (var vat in invoice.VatAmounts)
        {
            Sum($"{text["VAT"]} {vat.Rate.ToString("0.##", CultureInfo.InvariantCulture)} % ({Money(vat.Net, 2)})", vat.Vat, regular);
        }
        Sum(text["Total"], invoice.Total, bold);
        y += 10;
        var payment = invoice.CardLast4 is { } last4 ? string.Format(CultureInfo.InvariantCulture, text["Paid by card ending in {0}."], last4) : text["Please pay by bank transfer."];
        page.Gfx.DrawString(invoice.Kind == InvoiceNumbers.CreditNote ? text["The amount is paid back to your card."] : payment, regular, XBrushes.Black, Left, y, XStringFormats.TopLeft);
        page.Gfx.Dispose();
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static string Quantity(InvoiceComponent c) => c.Type switch
    {
        "ENERGY" => $"{c.Quantity.ToString("0.###", CultureInfo.InvariantCulture)} kWh",
        "TIME" or "PARKING_TIME" => $"{c.Quantity.ToString("0.####", CultureInfo.InvariantCulture)} h",
        _ => c.Quantity.ToString("0.##", CultureInfo.InvariantCulture),
    };

    public static string Money(decimal amount, int decimals) =>
        amount.ToString(decimals == 2 ? "0.00" : "0.00##", CultureInfo.InvariantCulture);

    private static string Fit(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static void Cell(XGraphics gfx, string s, XFont font, double[] columns, int i, double y)
    {
        if (i == 0)
        {
            gfx.DrawString(Fit(s, 60), font, XBrushes.Black, columns[0], y, XStringFormats.TopLeft);
        }
        else
        {
            gfx.DrawString(s, font, XBrushes.Black, new XRect(columns[i - 1], y, columns[i] - columns[i - 1], 12), XStringFormats.TopRight);
        }
    }

    /// <summary>The current page and its graphics; <see cref="Next"/> starts another A4 page.</summary>
    private sealed class Pager
    {
        private readonly PdfDocument _document;

        public Pager(PdfDocument document)
        {
            _document = document;
            Gfx = NewPage();
        }

        public XGraphics Gfx { get; private set; }

        public void Next()
        {
            Gfx.Dispose();
            Gfx = NewPage();
        }

        private XGraphics NewPage()
        {
            var page = _document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            return XGraphics.FromPdfPage(page);
        }
    }

    /// <summary>DejaVu Sans regular and bold from the server's resources, whatever the family asked for.</summary>
    private sealed class EmbeddedFonts : IFontResolver
    {
        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[] GetFont(string faceName)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"charging/fonts/{faceName}.ttf")
                ?? throw new InvalidOperationException($"The font {faceName} is not in the server's resources.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
