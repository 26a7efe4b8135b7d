using System.Text;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Tests.Features.Vehicles;

/// <summary>The vehicle CSV as spreadsheets write it: separators, quotes, header, byte order mark, line numbers.</summary>
public sealed class VehicleCsvTests
{
    private const string A = "WP0ZZZ99ZTS123457";
    private const string B = "WP1ZZZ95ZLB654321";

    /// <summary>Reads <paramref name="bytes"/> as the CLI and the API do: a UTF-8 <see cref="StreamReader"/>.</summary>
    private static async Task<List<VehicleCsv.Row>> ReadAsync(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8);
        var rows = new List<VehicleCsv.Row>();
        await foreach (var row in VehicleCsv.ReadAsync(reader, CancellationToken.None))
        {
            rows.Add(row);
        }
        return rows;
    }

    private static Task<List<VehicleCsv.Row>> ReadAsync(string text) => ReadAsync(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Comma_separated_rows_become_requests_with_the_line_they_are_on()
    {
        var rows = await ReadAsync($"vin,model,model_year,colour,registration_number,secret\n{A},Taycan,2024,Frozen Blue,S-PW 2,\n{B},Macan,2020\n");

        Assert.Equal([2, 3], rows.Select(r => r.Line));
        Assert.Equal(new RegisterVehicleRequest(A, "Taycan", 2024, "Frozen Blue", "S-PW 2", null), rows[0].Request);
        Assert.Equal(new RegisterVehicleRequest(B, "Macan", 2020, null, null, null), rows[1].Request);
    }

    [Fact]
    public async Task Semicolons_are_the_separator_when_the_header_uses_them_as_German_and_French_spreadsheets_do()
    {
        var rows = await ReadAsync($"vin;model;model_year;colour\r\n{A};Taycan 4S, Sport Turismo;2024;Enzianblau\r\n");

        Assert.Equal(new RegisterVehicleRequest(A, "Taycan 4S, Sport Turismo", 2024, "Enzianblau", null, null), Assert.Single(rows).Request);
    }

    [Fact]
    public async Task Quoted_fields_keep_separators_doubled_quotes_and_line_breaks_and_later_lines_keep_their_numbers()
    {
        var rows = await ReadAsync(
            $"vin,model,model_year,colour\n{A},\"Taycan, 4S\",2024,\"Blue \"\"Frozen\"\"\"\n{B},\"Macan\nElectric\",2020,\nNOT-A-VIN,Cayenne,2018,\n");

        Assert.Equal(new RegisterVehicleRequest(A, "Taycan, 4S", 2024, "Blue \"Frozen\"", null, null), rows[0].Request);
        Assert.Equal("Macan\nElectric", rows[1].Request!.Model);
        Assert.Equal([2, 3, 5], rows.Select(r => r.Line)); // the third row starts on line 5: the second spans two
    }

    [Fact]
    public async Task A_byte_order_mark_before_the_header_is_not_part_of_the_first_column_name()
    {
        var rows = await ReadAsync([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes($"vin;model;model_year\r\n{A};Cayenne;2019\r\n")]);

        Assert.Equal(A, Assert.Single(rows).Request!.Vin);
    }

    [Fact]
    public async Task Columns_are_found_by_their_header_names_in_any_order_and_any_case()
    {
        var rows = await ReadAsync($"Model Year, VIN, Model\n2021, {A}, Panamera\n");

        Assert.Equal(new RegisterVehicleRequest(A, "Panamera", 2021, null, null, null), Assert.Single(rows).Request);
    }

    [Theory]
    [InlineData("a,b\n")]
    [InlineData("vin,model\nWP0ZZZ99ZTS123457,Taycan\n")] // model_year missing
    [InlineData("vin,model,model_year,color\nWP0ZZZ99ZTS123457,Taycan,2024,Blue\n")] // unknown column
    [InlineData("vin,model,model_year,VIN\n")] // a column twice
    [InlineData("")]
    public async Task A_header_that_is_not_the_vehicle_header_is_reported_on_line_1(string csv)
    {
        var row = Assert.Single(await ReadAsync(csv));

        Assert.Equal(1, row.Line);
        Assert.Null(row.Request);
        Assert.Contains(VehicleCsv.Header, row.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_with_more_fields_than_the_header_is_reported_with_its_line_and_empty_lines_are_skipped()
    {
        var rows = await ReadAsync($"vin,model,model_year\n\n{A},Taycan 4S, Sport Turismo,2024\n{B},Macan,2020,\n");

        Assert.Equal(3, rows[0].Line);
        Assert.Null(rows[0].Request);
        Assert.Contains("quote", rows[0].Error, StringComparison.Ordinal);
        Assert.Equal(4, rows[1].Line); // a trailing separator alone is no extra field
        Assert.Equal(B, rows[1].Request!.Vin);
    }
}
