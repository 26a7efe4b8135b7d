using Microsoft.Playwright;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (one per test class). It must be installed (./test.sh does it);
/// without it the browser tests fail rather than skip. Screenshots go to test-results/screenshots at the repository root.
/// </summary>
public class PortalBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "test-results", "screenshots");

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("PITWALL_TEST_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"Chromium not found at {chromium}. Run ./test.sh (it installs Debian's chromium) or set PITWALL_TEST_CHROMIUM.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // The machine's network is closed: no background traffic, no sandbox (tests run as root in CI).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", .. ExtraArguments],
        });
    }

    /// <summary>More command-line switches for Chromium (a subclass may cut the browser off the network).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    /// <summary>A fresh browser context (own cookies) on the server, in English unless told otherwise.</summary>
    public async Task<IPage> NewPageAsync(PitwallServer server, string locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Client.BaseAddress!.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page signed in to the portal as <paramref name="user"/>, on the vehicle list where sign-in leads.</summary>
    public async Task<IPage> SignedInPageAsync(PitwallServer server, TestUser user, string locale = "en-GB")
    {
        var page = await NewPageAsync(server, locale);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(user.Email);
        await page.Locator("#Password").FillAsync(user.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/vehicles$"));
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>The folder holding Pitwall.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pitwall.slnx")))
            {
                return directory.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }
}

/// <summary>A server whose map tiles come, through its tile proxy, from a fake tile provider on loopback: no test waits for
/// the internet, and tests can see what the provider received.</summary>
public sealed class PortalServer : SqliteServer
{
    public const string TileUserAgent = "PitwallTests/1.0 (+https://pitwall.example/ops)";

    public FakeTileProvider Tiles { get; private set; } = null!;

    protected override async Task<string> CreateDatabaseAsync()
    {
        Tiles = await FakeTileProvider.StartAsync();
        return await base.CreateDatabaseAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Pitwall:Portal:TileUrl", Tiles.TileUrl),
        new("Pitwall:Portal:TileUserAgent", TileUserAgent),
        new("Pitwall:Portal:TileTimeout", "00:00:02"),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Tiles.DisposeAsync();
    }
}
