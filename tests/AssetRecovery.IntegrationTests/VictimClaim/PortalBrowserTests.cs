using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;
using Microsoft.Playwright;

namespace AssetRecovery.IntegrationTests.VictimClaim;

/// <summary>
/// The portal in headless Chromium against the victim-claim service as a real process: a victim files a claim on the
/// page, an investigator verifies it over REST, and the page shows the status and the money trail.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class PortalBrowserTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;
    private ServiceProcess _portal = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
        _portal = new ServiceProcess("victim-claim", "AssetRecovery.VictimClaim.Api", _system.Settings("victim-claim"));
        await _portal.StartAsync();
        try
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            });
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: the portal process would live on and consume the
            // shared queues under later tests.
            _playwright?.Dispose();
            await _portal.DisposeAsync();
            await _system.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _portal.DisposeAsync();
        await _system.DisposeAsync();
    }

    [Fact]
    public async Task A_victim_files_on_the_page_an_investigator_verifies_and_the_page_shows_status_and_figures()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        await TracedCase.TraceAndFreezeAsync(_freeze.Client<ITracingApi>(Roles.Investigator, "inspector-wu"),
            _freeze.Client<IFreezeApi>(Roles.BankLiaison, "officer-li"), caseNumber);

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _portal.BaseAddress.ToString(), TimezoneId = "UTC" });
        var response = await page.GotoAsync("/portal");
        Assert.Contains("frame-ancestors 'none'", response!.Headers["content-security-policy"]);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
        await SignInAsync(page, "victim-li", "Li Hua");
        await Assertions.Expect(page.Locator("#no-claims")).ToBeVisibleAsync();

        await page.ClickAsync("#new-claim-button");
        var form = page.Locator("#claim-form");
        await form.Locator("[name=fullName]").FillAsync("Li Hua");
        await form.Locator("[name=idNumber]").FillAsync(ClaimRequests.IdNumber);
        await form.Locator("[name=email]").FillAsync("li.hua@example.cn");
        await form.Locator("[data-field=paidAt]").FillAsync("2026-03-01T09:00");
        await form.Locator("[data-field=amount]").FillAsync("600.00");
        await form.Locator("[data-field=fromAccount]").FillAsync("6217000000000000001");
        await form.Locator("[data-field=toAccount]").FillAsync(TracedCase.MuleOne);
        await form.Locator("[name=bankName]").FillAsync("China Construction Bank");
        await form.Locator("[name=accountNumber]").FillAsync("6217000000000000001");
        await form.Locator("[name=accountHolderName]").FillAsync("Li Hua");
        await form.Locator("[name=caseNumber]").FillAsync(caseNumber);
        await page.ClickAsync("#file-claim");
        await Assertions.Expect(page.Locator("#receipt")).ToBeVisibleAsync();
        var reference = await page.Locator("#receipt-reference").TextContentAsync();
        Assert.Matches("^VC-[0-9A-Z]{10}$", reference);

        // The investigator finds it under the case and verifies it, naming the victim's id in the bank records.
        var investigator = _portal.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var claim = Assert.Single((await investigator.ListAsync(caseNumber: caseNumber)).Content!.Items);
        Assert.Equal((reference, "Filed", 600.00m), (claim.Reference, claim.Status, claim.ClaimedLoss.Amount));
        var approved = await investigator.ApproveAsync(claim.ClaimId, new ApproveClaimRequest(600.00m, "Matches the bank statement", TraceVictimId: "A"));
        Assert.True(approved.IsSuccessStatusCode, approved.ErrorContent());

        await page.ClickAsync("#receipt-open");
        await Assertions.Expect(page.Locator("#claim-reference")).ToHaveTextAsync(reference!);
        await Assertions.Expect(page.Locator("#claim-status")).ToHaveTextAsync("Approved");
        // Traced and frozen come from the case's events; refresh until the service has them.
        await Eventually.Until(async () =>
        {
            await page.ClickAsync("#refresh");
            return await page.Locator("#trail-frozen").TextContentAsync();
        }, text => text == "510.01 CNY", what: "the frozen share on the page");
        var shown = new List<string>();
        foreach (var figure in new[] { "claimed", "verified", "traced", "frozen", "ordered", "paid", "outstanding" })
            shown.Add($"{figure} {await page.Locator($"#trail-{figure}").TextContentAsync()}");
        Assert.Equal(["claimed 600.00 CNY", "verified 600.00 CNY", "traced 600.00 CNY", "frozen 510.01 CNY", "ordered 0.00 CNY",
            "paid 0.00 CNY", "outstanding 600.00 CNY"], shown);
        var timeline = await page.Locator("#timeline li").AllTextContentsAsync();
        Assert.Contains(timeline, t => t.Contains("You: Claim " + reference + " filed"));
        Assert.Contains(timeline, t => t.Contains("Investigator: Approved: verified loss 600.00 CNY"));
        Assert.DoesNotContain(timeline, t => t.Contains("inspector-wu"));

        // The victim gives another account for the return on the page.
        await Assertions.Expect(page.Locator("#return-account-current")).ToHaveTextAsync("China Construction Bank, 6217000000000000001, Li Hua");
        var accountForm = page.Locator("#return-account-form");
        await accountForm.Locator("[name=bankName]").FillAsync("Bank of China");
        await accountForm.Locator("[name=accountNumber]").FillAsync("6013820000000000002");
        await accountForm.Locator("[name=accountHolderName]").FillAsync("Li Hua");
        await page.ClickAsync("#change-return-account");
        await Assertions.Expect(page.Locator("#return-account-current")).ToHaveTextAsync("Bank of China, 6013820000000000002, Li Hua");
        var changed = (await investigator.GetAsync(claim.ClaimId)).Content!.ReturnAccount;
        Assert.Equal(("Bank of China", "6013820000000000002"), (changed.BankName, changed.AccountNumber));

        // Another victim signing in on the same browser sees none of it.
        await page.ClickAsync("#sign-out");
        await SignInAsync(page, "victim-other", "Wang Wei");
        await Assertions.Expect(page.Locator("#no-claims")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#claims-body tr").CountAsync());
    }

    [Fact]
    public async Task The_page_shows_the_reasons_a_claim_is_refused()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _portal.BaseAddress.ToString() });
        await page.GotoAsync("/portal");
        await SignInAsync(page, "victim-hasty", "Zhao Lei");
        await page.ClickAsync("#new-claim-button");
        await page.Locator("#claim-form [name=fullName]").FillAsync("Zhao Lei");
        await page.Locator("#claim-form [data-field=amount]").FillAsync("12.345");
        await page.ClickAsync("#file-claim");
        var message = page.Locator("#message");
        await Assertions.Expect(message).ToBeVisibleAsync();
        var text = await message.TextContentAsync();
        Assert.Contains("idNumber: is required.", text);
        Assert.Contains("payments[0].amount: has more decimal places than CNY allows (2).", text);
        Assert.Contains("contact: an email address or a phone number is required.", text);
        Assert.Equal(0, await _system.CountEventsAsync());
    }

    private static async Task SignInAsync(IPage page, string subject, string name)
    {
        await page.WaitForSelectorAsync("body[data-ready=true]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await page.FillAsync("#dev-subject", subject);
        await page.FillAsync("#dev-name", name);
        await page.ClickAsync("#dev-sign-in-button");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator("#claims")).ToBeVisibleAsync();
    }
}
