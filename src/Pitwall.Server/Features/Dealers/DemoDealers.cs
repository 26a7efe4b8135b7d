using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Demo;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Dealers;

/// <summary>
/// For <c>pitwall demo</c>: invented workshops around where the demo fleet drives (Stuttgart, and the Rhine–Neckar area of the
/// map data) and a dealer account working for the first one. Every name is fictional and says so; the phone numbers are unused.
/// </summary>
internal sealed partial class DemoDealers(
    IOptions<DemoOptions> options, DealerStore dealers, AccountAdministration administration, IAccountDirectory accounts, TimeProvider time,
    ILogger<DemoDealers> logger) : IHostedService
{
    public const string StaffEmail = "dealer@demo.pitwall.dev";

    private static readonly OpeningHours[] Weekdays = [new([1, 2, 3, 4, 5], "07:30", "18:00"), new([6], "09:00", "13:00")];

    public static IReadOnlyList<Dealer> All { get; } =
    [
        Demo("stuttgart-feuerbach", "Autohaus Neckarblick Feuerbach (demo)", "Sieglestraße 12", "70469", "Stuttgart", 48.8127, 9.1606, "+49 711 5550101",
            [DealerServices.Maintenance, DealerServices.Repair, DealerServices.Tyres, DealerServices.HighVoltage, DealerServices.SoftwareUpdate]),
        Demo("stuttgart-vaihingen", "Sportwagen-Service Vaihingen (demo)", "Industriestraße 40", "70565", "Stuttgart", 48.7280, 9.1070, "+49 711 5550102",
            [DealerServices.Maintenance, DealerServices.Repair, DealerServices.Bodywork]),
        Demo("ludwigsburg-west", "Werkstatt am Schlosspark Ludwigsburg (demo)", "Schwieberdinger Straße 80", "71636", "Ludwigsburg", 48.8960, 9.1720,
            "+49 7141 5550103", [DealerServices.Maintenance, DealerServices.Tyres]),
        Demo("esslingen-neckar", "Esslinger Fahrzeugtechnik (demo)", "Fritz-Müller-Straße 100", "73730", "Esslingen am Neckar", 48.7370, 9.3250,
            "+49 711 5550104", [DealerServices.Maintenance, DealerServices.Repair, DealerServices.HighVoltage]),
        Demo("boeblingen-sued", "Autozentrum Böblingen Süd (demo)", "Calwer Straße 5", "71034", "Böblingen", 48.6830, 9.0030, "+49 7031 5550105",
            [DealerServices.Maintenance, DealerServices.Repair, DealerServices.Tyres, DealerServices.Bodywork]),
        Demo("heidelberg-bahnstadt", "Kurpfalz Sportwagen Heidelberg (demo)", "Eppelheimer Straße 50", "69115", "Heidelberg", 49.4030, 8.6600,
            "+49 6221 5550106", [DealerServices.Maintenance, DealerServices.Repair, DealerServices.HighVoltage, DealerServices.SoftwareUpdate]),
        Demo("mannheim-neckarau", "Quadrate Autoservice Mannheim (demo)", "Neckarauer Straße 120", "68199", "Mannheim", 49.4640, 8.4870,
            "+49 621 5550107", [DealerServices.Maintenance, DealerServices.Tyres]),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        foreach (var dealer in All)
        {
            await dealers.TryInsertAsync(dealer, time.GetUtcNow(), cancellationToken);
        }
        if ((await administration.CreateUserAsync(StaffEmail, "Dominik Dealer", Roles.Dealer, DemoOptions.Password, cancellationToken)).Succeeded)
        {
            LogCreated(logger);
        }
        if (await accounts.FindByEmailAsync(StaffEmail, cancellationToken) is { } staff && await dealers.DealerOfAsync(staff.Id, cancellationToken) is null)
        {
            await dealers.LinkStaffAsync(staff.Id, All[0].Id, time.GetUtcNow(), cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Dealer Demo(string id, string name, string street, string postalCode, string city, double latitude, double longitude, string phone,
        string[] services) =>
        new(id, name, street, postalCode, city, "DE", latitude, longitude, phone, $"service@{id}.demo.pitwall.dev", "Europe/Berlin", Weekdays, services);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the demo dealer account")]
    private static partial void LogCreated(ILogger logger);
}
