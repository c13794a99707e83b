using AssetRecovery.Contracts.VictimClaim;
using AssetRecovery.VictimClaim.Domain;
using Marten;

namespace AssetRecovery.VictimClaim.Notifications;

/// <summary>How a notification reaches a victim (log, email, SMS...). Implementations must tolerate a repeated send.</summary>
public interface INotificationChannel
{
    string Name { get; }
    Task SendAsync(VictimNotification notification, ClaimContact contact, CancellationToken cancellationToken);
}

/// <summary>The default channel: a structured log line without the victim's contact details.</summary>
public sealed class LogNotificationChannel(ILogger<LogNotificationChannel> logger) : INotificationChannel
{
    public string Name => "log";

    public Task SendAsync(VictimNotification notification, ClaimContact contact, CancellationToken cancellationToken)
    {
        logger.LogInformation("Notification {NotificationId} for claim {ClaimId} ({Kind}) by {Route}: {Message}", notification.Id,
            notification.ClaimId, notification.Kind, contact.Email is not null ? "email" : "phone", notification.Message);
        return Task.CompletedTask;
    }
}

public sealed class NotificationOptions
{
    public const string Section = "Notifications";
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    public int BatchSize { get; set; } = 50;
    /// <summary>After this many failed sends a notification is left for the portal only (and the failure logged).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>"log" (default) or "smtp".</summary>
    public string Channel { get; set; } = "log";
    public SmtpSettings? Smtp { get; set; }

    /// <summary>Registers the configured channel; an unknown name stops the service at start.</summary>
    public static void AddChannel(IServiceCollection services, IConfiguration configuration)
    {
        var channel = configuration.GetSection(Section).Get<NotificationOptions>()?.Channel ?? "log";
        switch (channel.ToLowerInvariant())
        {
            case "log": services.AddSingleton<INotificationChannel, LogNotificationChannel>(); break;
            case "smtp": services.AddSingleton<INotificationChannel, SmtpNotificationChannel>(); break;
            default: throw new InvalidOperationException($"Notifications:Channel '{channel}' is not known (log, smtp).");
        }
    }
}

/// <summary>
/// Sends notifications that were committed but not sent yet. At least once: a crash between the send and the mark
/// sends it again, and two instances may both send one; channels are told so.
/// </summary>
public sealed class NotificationDispatcher(IDocumentStore store, INotificationChannel channel, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<NotificationOptions> options, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == options.Value.BatchSize) { }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Sending victim notifications failed; will try again.");
            }
            try { await Task.Delay(options.Value.PollInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One batch, oldest first; answers how many it handled.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var maxAttempts = options.Value.MaxAttempts;
        var due = await session.Query<VictimNotification>()
            .Where(n => n.SentAt == null && n.Attempts < maxAttempts)
            .OrderBy(n => n.CreatedAt).Take(options.Value.BatchSize).ToListAsync(ct);
        if (due.Count == 0) return 0;
        var claims = (await session.LoadManyAsync<Claim>(ct, due.Select(n => n.ClaimId).Distinct())).ToDictionary(c => c.Id);
        foreach (var notification in due)
        {
            notification.Attempts++;
            try
            {
                if (!claims.TryGetValue(notification.ClaimId, out var claim)) throw new InvalidOperationException("The claim is missing.");
                await channel.SendAsync(notification, claim.Contact, ct);
                notification.SentAt = clock.GetUtcNow();
                notification.Channel = channel.Name;
            }
            catch (Exception exception) when (!ct.IsCancellationRequested)
            {
                notification.LastError = exception.Message;
                logger.LogWarning("Notification {NotificationId} failed (attempt {Attempt}): {Error}", notification.Id, notification.Attempts, exception.Message);
            }
            session.Store(notification);
        }
        await session.SaveChangesAsync(ct);
        return due.Count;
    }
}
