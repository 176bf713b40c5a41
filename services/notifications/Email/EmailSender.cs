using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Harbour.Notifications.Email;

public sealed record EmailSettings(Uri Server, string From, string TeamAddress, Uri PublicUrl);

// Sends through the SMTP server named by ConnectionStrings:mail (smtp://[user:password@]host:port).
public sealed class EmailSender(EmailSettings settings, ILogger<EmailSender> log)
{
    // The Message-ID is the delivery's key, so that in the rare case an email is sent twice (a crash between
    // the server accepting it and the delivery being recorded) mail clients see one message.
    public async Task SendAsync(string key, string to, string subject, string body, CancellationToken cancellationToken)
    {
        var message = new MimeMessage { MessageId = $"{key.Replace('/', '.')}@harbour" };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };

        using var smtp = new SmtpClient { Timeout = 30_000 };
        var security = settings.Server.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
        await smtp.ConnectAsync(settings.Server.Host, settings.Server.Port, security, cancellationToken);
        if (settings.Server.UserInfo is { Length: > 0 } userInfo)
        {
            var parts = userInfo.Split(':', 2);
            await smtp.AuthenticateAsync(Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts.ElementAtOrDefault(1) ?? ""), cancellationToken);
        }
        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
        log.LogInformation("Email {Subject} sent", subject);
    }
}

public static class EmailRegistration
{
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        var server = builder.Configuration.GetConnectionString("mail")
            ?? throw new InvalidOperationException("ConnectionStrings:mail is not set.");
        var section = builder.Configuration.GetSection("Notifications");
        builder.Services.AddSingleton(new EmailSettings(
            new Uri(server),
            section["From"] ?? "Harbour <harbour@harbour.example>",
            section["TeamAddress"] ?? "case-team@harbour.example",
            new Uri(builder.Configuration["Harbour:PublicUrl"] ?? "http://localhost:8080")));
        builder.Services.AddSingleton<EmailSender>();
        return builder;
    }
}
