using Microsoft.Playwright;

namespace RoleSync.Functions.Tests.OperatorConsole;

/// <summary>
/// One headless Chromium per test class: the system browser (Debian's <c>chromium</c> package, which ./test.sh and
/// .ci/run install), driven by Playwright's bundled driver; Playwright's own browser download is never used.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Set to 1 to rewrite docs/console/*.png from the tests (never in CI).</summary>
    public const string UpdateScreenshotsVariable = "ROLESYNC_UPDATE_SCREENSHOTS";

    /// <summary>How long an Expect waits for the page (Playwright's default is 5 s).</summary>
    public const float ExpectTimeoutMilliseconds = 20_000;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The console's browser tests need Chromium at {ChromiumPath}: apt-get install -y chromium (./test.sh does it when run as root).");
        }
        // Expect polls until the page shows what it should; its 5 s default is tight when ./test.sh runs several
        // Chromiums, Azurite and the Clerk sandbox on a shared 2-core machine. A longer ceiling costs nothing when green.
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A full-page screenshot of <paramref name="page"/> as docs/console/<paramref name="name"/>.png, only when <see cref="UpdateScreenshotsVariable"/> is 1.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable(UpdateScreenshotsVariable) == "1")
        {
            await page.ScreenshotAsync(new() { Path = TestPaths.InRepository("docs", "console", name + ".png"), FullPage = true });
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
