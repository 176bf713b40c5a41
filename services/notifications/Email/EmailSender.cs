using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Harbour.Notifications.Email;

public sealed record EmailSettings(Uri Server, string From, string TeamAddress, Uri PublicUrl)
{
    // Where the audit chain's daily anchor goes (Notifications:AuditAnchorTo, addresses separated by commas or semicolons): a
    // mailbox the database server's administrator cannot reach, such as the data-protection officer's. Checked at start-up.
    public IReadOnlyList<string> AuditAnchorTo { get; init; } = [];
}

/// <summary>One email to send. Key: its purpose, which sends it once (also its Message-ID). Text: the plain-text body;
/// Html: an HTML alternative, if any. Urgent sends it with high priority; ReplyTo is where answers go (the sender otherwise).
/// Calendar: an iCalendar object (RFC 5545) attached as invite.ics, with CalendarMethod (REQUEST or CANCEL) as its method.
/// ToReporter: the delivery log says "reporter" instead of the address.</summary>
public sealed record OutgoingEmail(string Key, string To, string Subject, string Text)
{
    public bool ToReporter { get; init; }
    public string Purpose => Key.Split('/')[0];
    public string LoggedRecipient => ToReporter ? "reporter" : To;
    public string? Html { get; init; }
    public bool Urgent { get; init; }
    public string? ReplyTo { get; init; }
    public string? Calendar { get; init; }
    public string CalendarMethod { get; init; } = "REQUEST";
}

// Sends through the SMTP server named by ConnectionStrings:mail (smtp://[user:password@]host:port[?tls=none], or smtps://;
// see SecurityOf). Connections are kept open between emails (SmtpConnections), so that a burst of emails (a campaign day,
// or the backlog after a broker outage) does not pay a connection, a TLS handshake and a sign-in for each one.
public sealed class EmailSender(EmailSettings settings, ILogger<EmailSender> log) : IDisposable
{
    readonly SmtpConnections connections = new(settings);

    // The Message-ID is the delivery's key, so that in the rare case an email is sent twice (a crash between
    // the server accepting it and the delivery being recorded) mail clients see one message.
    public async Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        var message = new MimeMessage { MessageId = $"{email.Key.Replace('/', '.')}@harbour" };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        if (email.ReplyTo is not null) message.ReplyTo.Add(MailboxAddress.Parse(email.ReplyTo));
        if (email.Urgent) (message.Priority, message.XPriority, message.Importance) = (MessagePriority.Urgent, XMessagePriority.Highest, MessageImportance.High);
        message.Subject = email.Subject;
        var body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html };
        if (email.Calendar is not null)
        {
            var calendar = new ContentType("text", "calendar") { Charset = "utf-8" };
            calendar.Parameters.Add("method", email.CalendarMethod);
            body.Attachments.Add("invite.ics", System.Text.Encoding.UTF8.GetBytes(email.Calendar), calendar);
        }
        message.Body = body.ToMessageBody();

        await connections.SendAsync(message, cancellationToken);
        log.LogInformation("Email {Subject} sent", email.Subject);
    }

    public void Dispose() => connections.Dispose();

    /// <summary>How the connection to the SMTP server is secured, from ConnectionStrings:mail: <c>smtps://</c> is TLS from the
    /// first byte (port 465); <c>smtp://</c> is STARTTLS, required: a server that does not offer it, or someone in between who
    /// strips the offer, gets no email (MailKit refuses), never plain text; <c>smtp://...?tls=none</c> is plain text, for a
    /// mail catcher on this machine, and never with a user name and password (they would cross the network readable).
    /// Throws InvalidOperationException, at start-up, for any other <c>tls=</c> value, <c>tls=none</c> with credentials or
    /// with <c>smtps://</c>, and any other scheme.</summary>
    public static SecureSocketOptions SecurityOf(Uri server)
    {
        var tls = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(server.Query).TryGetValue("tls", out var given) ? given.ToString() : null;
        return (server.Scheme, tls) switch
        {
            ("smtps", null) => SecureSocketOptions.SslOnConnect,
            ("smtp", null or "starttls") => SecureSocketOptions.StartTls,
            ("smtp", "none") when string.IsNullOrEmpty(server.UserInfo) => SecureSocketOptions.None,
            ("smtp", "none") => throw new InvalidOperationException("ConnectionStrings:mail: tls=none would send the password in plain text; use STARTTLS or smtps://."),
            _ => throw new InvalidOperationException($"ConnectionStrings:mail: {server.Scheme}:// with tls={tls} is not known; use smtp:// (STARTTLS), smtps://, or smtp://...?tls=none for a local mail catcher."),
        };
    }

    // An address MimeKit can send to (the profile's rules ask for one, but an alert can outlive an edit).
    public static bool CanSendTo(string? address) => !string.IsNullOrWhiteSpace(address) && MailboxAddress.TryParse(address, out _);
}

// Open SMTP connections kept between emails: at most Size idle at once (more are opened while a burst needs them, and
// closed after it). A connection idle longer than a mail server is sure to keep it (MaxIdle; RFC 5321 section 4.5.3.2
// asks servers to wait 5 minutes) is closed rather than reused; one the server closed meanwhile (or is closing: 421) is closed and the email
// sent on a new one at once. Hand-written because MailKit keeps no pool: a list under a lock, last used first out, tested by
// Notifications.Tests/EmailConnectionTests.cs (one SMTP session carries a burst of emails; a connection the server
// closed is replaced and the email still goes).
sealed class SmtpConnections(EmailSettings settings) : IDisposable
{
    const int Size = 4;
    static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(60);
    readonly List<(SmtpClient Client, long IdleSince)> idle = [];
    bool disposed;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (Take() is { } kept)
        {
            try
            {
                await kept.SendAsync(message, cancellationToken);
                Give(kept);
                return;
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException
                or SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable })
            {
                // The server closed it meanwhile, or said it is closing it (421): once more, on a new connection.
                kept.Dispose();
            }
            catch
            {
                kept.Dispose();
                throw;
            }
        }
        var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(settings.Server.Host, settings.Server.Port, EmailSender.SecurityOf(settings.Server), cancellationToken);
            if (settings.Server.UserInfo is { Length: > 0 } userInfo)
            {
                var parts = userInfo.Split(':', 2);
                await client.AuthenticateAsync(Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts.ElementAtOrDefault(1) ?? ""), cancellationToken);
            }
            await client.SendAsync(message, cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        Give(client);
    }

    // The connection used last, if it is fresh enough; every connection idle too long is closed on the way.
    SmtpClient? Take()
    {
        lock (idle)
        {
            CloseExpired();
            if (idle.Count == 0) return null;
            var (client, _) = idle[^1];
            idle.RemoveAt(idle.Count - 1);
            return client;
        }
    }

    void Give(SmtpClient client)
    {
        lock (idle)
        {
            CloseExpired();
            if (!disposed && idle.Count < Size && client.IsConnected)
            {
                idle.Add((client, System.Diagnostics.Stopwatch.GetTimestamp()));
                return;
            }
        }
        client.Dispose();
    }

    void CloseExpired()
    {
        foreach (var (client, since) in idle.Where(kept => !kept.Client.IsConnected || System.Diagnostics.Stopwatch.GetElapsedTime(kept.IdleSince) >= MaxIdle).ToList())
        {
            idle.Remove((client, since));
            client.Dispose();
        }
    }

    // Closes every kept connection; one given back later is closed at once.
    public void Dispose()
    {
        lock (idle)
        {
            disposed = true;
            foreach (var (client, _) in idle) client.Dispose();
            idle.Clear();
        }
    }
}

public static class EmailRegistration
{
    // At least one address, each one an email can go to; otherwise the service does not start (an anchor nobody receives
    // protects nothing).
    public static string[] AnchorRecipients(string setting)
    {
        var addresses = setting.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0 || !addresses.All(EmailSender.CanSendTo))
            throw new InvalidOperationException($"Notifications:AuditAnchorTo must name one or more email addresses, separated by commas or semicolons (the audit log's daily anchor goes there); it is \"{setting}\".");
        return addresses;
    }

    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        var server = builder.Configuration.GetConnectionString("mail")
            ?? throw new InvalidOperationException("ConnectionStrings:mail is not set.");
        var section = builder.Configuration.GetSection("Notifications");
        EmailSender.SecurityOf(new Uri(server));
        builder.Services.AddSingleton(new EmailSettings(
            new Uri(server),
            section["From"] ?? "Harbour <harbour@harbour.example>",
            section["TeamAddress"] ?? "case-team@harbour.example",
            new Uri(builder.Configuration["Harbour:PublicUrl"] ?? "http://localhost:8080"))
        {
            AuditAnchorTo = AnchorRecipients(section["AuditAnchorTo"] ?? "data-protection@harbour.example"),
        });
        builder.Services.AddSingleton<EmailSender>();
        return builder;
    }
}
