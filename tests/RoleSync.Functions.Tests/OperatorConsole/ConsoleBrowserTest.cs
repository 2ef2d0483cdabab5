namespace RoleSync.Functions.Tests.OperatorConsole;

/// <summary>
/// A browser test class: one Chromium for the class (<see cref="BrowserFixture"/>), a fresh <see cref="ConsoleApp"/>
/// per test, seeded by <see cref="SeedAsync"/>; after each test no page may have logged an error.
/// </summary>
public abstract class ConsoleBrowserTest(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    internal ConsoleApp App { get; private set; } = null!;

    protected Microsoft.Playwright.IBrowser Browser => browser.Browser;

    public async Task InitializeAsync()
    {
        App = await ConsoleApp.StartAsync();
        await SeedAsync();
    }

    /// <summary>What every test of the class starts with.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            Assert.Empty(App.PageErrors);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }
}
