using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harbour.Intake.Tests;

// Over amqps a service checks the broker's certificate: one no trusted authority issued is refused before a word of AMQP
// (and so before the service's user name and password) is sent. MassTransit on its own accepts such a certificate.
public sealed class BrokerTlsTests
{
    [Fact]
    public async Task ABrokerWhoseCertificateNoTrustedAuthorityIssuedIsToldNothing()
    {
        // An impostor on the broker's address, with a certificate for the right name that it signed itself.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int connections = 0, spoken = 0;
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
                _ = Task.Run(async () =>
                {
                    using (client)
                    await using (var tls = new SslStream(client.GetStream()))
                    {
                        try
                        {
                            await tls.AuthenticateAsServerAsync(certificate);
                            var header = new byte[8];
                            if (await tls.ReadAsync(header) > 0) Interlocked.Increment(ref spoken);
                        }
                        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
                        {
                            // The client broke off the handshake, as it should.
                        }
                    }
                });
            }
        });
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            await using var intake = new IntakeOnBroker($"amqps://intake:not-for-an-impostor@127.0.0.1:{port}/");
            await intake.InitializeAsync();
            var client = intake.CreateClient();

            await Eventually.GetAsync(() => Task.FromResult(Volatile.Read(ref connections)), count => count >= 3,
                "intake to try the impostor, and try again");
            Volatile.Read(ref spoken).ShouldBe(0, "no AMQP went over a connection to a certificate nobody trusted");
            (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
