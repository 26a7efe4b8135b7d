using System.Globalization;
using System.Runtime.CompilerServices;
using nietras.SeparatedValues;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>
/// Vehicle lists as spreadsheets export them (RFC 4180 with a header row): <c>,</c> or <c>;</c> as the separator (taken
/// from the header; German and French spreadsheets write <c>;</c>), quoted fields (with separators, quotes or line
/// breaks inside), spaces around values, a UTF-8 byte order mark (the caller's <see cref="StreamReader"/> drops it).
/// Columns are found by their header name, in any order; <c>vin</c>, <c>model</c> and <c>model_year</c> are required.
/// Parsed with Sep (separator detection from the header, unescaping, each row's first line number for the errors).
/// </summary>
internal static class VehicleCsv
{
    public const string Header = "vin,model,model_year,colour,registration_number,secret";

    private static readonly string[] Columns = Header.Split(',');
    private const int RequiredColumns = 3;

    /// <summary>One data row: its first line in the file and either the request it asks for or why it cannot be read.</summary>
    public sealed record Row(int Line, RegisterVehicleRequest? Request, string? Error);

    public static string HeaderError =>
        $"The first line must be the header: {Header} (colour, registration_number and secret may be left out; separated by , or ;).";

    /// <summary>The data rows; a header that is not one yields a single row with the error, for line 1.</summary>
    public static async IAsyncEnumerable<Row> ReadAsync(TextReader csv, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = await OpenAsync(csv, cancellationToken);
        if (reader is null || ColumnsOf(reader.Header.ColNames) is not { } columns)
        {
            yield return new Row(1, null, HeaderError);
            yield break;
        }
        await foreach (var row in reader.WithCancellation(cancellationToken))
        {
            if (ToRow(row, columns, reader.Header.ColNames.Count) is { } read)
            {
                yield return read;
            }
        }
    }

    /// <summary>Reads the header (and so the separator); null when it names a column twice.</summary>
    private static async ValueTask<SepReader?> OpenAsync(TextReader csv, CancellationToken cancellationToken)
    {
        try
        {
            return await Sep.Reader(o => o with
            {
                HasHeader = true,
                Unescape = true,
                Trim = SepTrim.All,
                DisableColCountCheck = true, // trailing optional values may be left out
            }).FromAsync(csv, cancellationToken);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where each of <see cref="Columns"/> is (-1: left out), or null when the header is not ours: an unknown or repeated
    /// name, or a required one missing. Names are compared without case; a space is an underscore (<c>Model Year</c>).
    /// </summary>
    private static int[]? ColumnsOf(IReadOnlyList<string> names)
    {
        var indices = Enumerable.Repeat(-1, Columns.Length).ToArray();
        for (var i = 0; i < names.Count; i++)
        {
            var column = Array.IndexOf(Columns, string.Join('_', names[i].ToLowerInvariant().Split([' ', '_'], StringSplitOptions.RemoveEmptyEntries)));
            if (column < 0 || indices[column] >= 0)
            {
                return null;
            }
            indices[column] = i;
        }
        return indices.Take(RequiredColumns).All(index => index >= 0) ? indices : null;
    }

    private static Row? ToRow(SepReader.Row row, int[] columns, int headerCount)
    {
        var line = row.LineNumberFrom;
        for (var i = headerCount; i < row.ColCount; i++)
        {
            if (!row[i].Span.IsWhiteSpace()) // a trailing separator alone is forgiven
            {
                return new Row(line, null, $"This line has {row.ColCount} fields, the header {headerCount}; quote values that contain the separator.");
            }
        }
        var values = new string?[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var value = columns[i] >= 0 && columns[i] < row.ColCount ? row[columns[i]].ToString().Trim() : "";
            values[i] = value.Length > 0 ? value : null;
        }
        if (values.All(value => value is null))
        {
            return null; // an empty line
        }
        var year = int.TryParse(values[2], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
        return new Row(line, new RegisterVehicleRequest(values[0], values[1], year, values[3], values[4], values[5]), null);
    }
}
