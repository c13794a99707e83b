using AssetRecovery.Clients.VictimClaim;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;
using AssetRecovery.VictimClaim;

namespace AssetRecovery.IntegrationTests.VictimClaim;

/// <summary>The email adapter: notifications reach the victim's address through an SMTP relay, once each.</summary>
[Collection(SystemCollection.Name)]
public sealed class NotificationChannelTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private SmtpSink _smtp = null!;
    private ServiceHost<VictimClaimService> _service = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _smtp = new SmtpSink();
        _service = _system.Start<VictimClaimService>("victim-claim", new Dictionary<string, string?>
        {
            ["Notifications:PollInterval"] = "00:00:00.200",
            ["Notifications:Channel"] = "smtp",
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = _smtp.Port.ToString(),
            ["Notifications:Smtp:EnableSsl"] = "false",
            ["Notifications:Smtp:From"] = "claims@assetrecovery.example",
        });
    }

    public async Task DisposeAsync()
    {
        await _system.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Each_notification_is_emailed_to_the_victim_and_marked_sent()
    {
        var victim = _service.Client<IVictimClaimApi>(Roles.Victim, "victim-li");
        var investigator = _service.Client<IVictimClaimApi>(Roles.Investigator, "inspector-wu");
        var receipt = (await victim.FileAsync(ClaimRequests.Valid(caseNumber: "SZ-2026-000444"))).Content!;
        await investigator.ApproveAsync(receipt.ClaimId, new ApproveClaimRequest(500.00m, "Statement checked"));

        var mails = await Eventually.Until(() => Task.FromResult(_smtp.Received), m => m.Count >= 3, what: "three emails");
        Assert.All(mails, m => Assert.Equal(("claims@assetrecovery.example", "li.hua@example.cn"), (m.From, Assert.Single(m.To))));
        Assert.Contains(mails, m => m.Data.Contains($"We received your claim {receipt.Reference}"));
        Assert.Contains(mails, m => m.Data.Contains("verified loss 500.00 CNY"));
        var notifications = await Eventually.Until(async () => (await victim.GetNotificationsAsync(receipt.ClaimId)).Content!,
            n => n.All(x => x.SentAt is not null), what: "all notifications marked sent");
        Assert.Equal(mails.Count, notifications.Count);
        // Sent ones are not sent again.
        await Task.Delay(1000);
        Assert.Equal(notifications.Count, _smtp.Received.Count);
    }
}
