using System.Net;
using System.Net.Mail;
using AssetRecovery.Contracts.VictimClaim;
using Microsoft.Extensions.Options;

namespace AssetRecovery.VictimClaim.Notifications;

public sealed class SmtpSettings
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    public bool EnableSsl { get; set; } = true;
    public string From { get; set; } = "";
    public string? Username { get; set; }
    public string? Password { get; set; }
}

/// <summary>
/// Email through an SMTP relay (Notifications:Channel = smtp). A victim with only a phone number cannot be reached by
/// email: that send fails and is retried, then left for the portal; an SMS adapter implements the same interface.
/// </summary>
public sealed class SmtpNotificationChannel(IOptions<NotificationOptions> options) : INotificationChannel
{
    public string Name => "smtp";

    public async Task SendAsync(VictimNotification notification, ClaimContact contact, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp ?? throw new InvalidOperationException("Notifications:Smtp is not configured.");
        if (contact.Email is null) throw new InvalidOperationException("The victim gave no email address.");
        using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network };
        if (smtp.Username is not null) client.Credentials = new NetworkCredential(smtp.Username, smtp.Password);
        using var message = new MailMessage(smtp.From, contact.Email)
        {
            Subject = $"Your claim: {notification.Kind}",
            Body = notification.Message,
        };
        // Lets a mail system drop a repeated send of the same notification.
        message.Headers.Add("Message-ID", $"<{notification.Id}@assetrecovery>");
        await client.SendMailAsync(message, cancellationToken);
    }
}
