using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Harbour.ServiceDefaults.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client.Exceptions;

namespace Harbour.Intake.Tests;

// Over amqps a service checks the broker's certificate: one no trusted authority issued, or one issued for another name, is
// refused before a word of AMQP (and so before the service's user name and password) is sent. MassTransit on its own
// accepts a certificate no authority issued; RabbitMQ.Client on its own accepts one issued for another name.
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
        using var impostor = new Impostor(certificate, IPAddress.Loopback);

        await using var intake = new IntakeOnBroker($"amqps://intake:not-for-an-impostor@127.0.0.1:{impostor.Port}/");
        await intake.InitializeAsync();
        var client = intake.CreateClient();

        await Eventually.GetAsync(() => Task.FromResult(impostor.Connections), count => count >= 3, "intake to try the impostor, and try again");
        impostor.Spoken.ShouldBe(0, "no AMQP went over a connection to a certificate nobody trusted");
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    // The connections a service makes itself, beside MassTransit's (binding its queues, the readiness check): a certificate
    // from the very authority every service trusts, but for another address, is refused; on its own address it is accepted.
    [Fact]
    public async Task ABrokerCertificateIssuedForAnotherNameIsRefusedByTheConnectionsAServiceMakesItself()
    {
        var folder = Environment.GetEnvironmentVariable("CERTIFICATES")
            ?? throw new InvalidOperationException("CERTIFICATES is not set: run the tests with ./harbour test, which makes the servers' certificates.");
        // The test servers' own certificate, for localhost, 127.0.0.1 and ::1 only, served from another loopback address.
        using var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(folder, "server.crt"), Path.Combine(folder, "server.key"));
        using var elsewhere = new Impostor(certificate, IPAddress.Parse("127.0.0.2"));
        var queues = new ServiceQueues(new Uri($"amqps://intake:not-for-an-impostor@127.0.0.2:{elsewhere.Port}/"));
        queues.Add("intake-report-submitted");

        var health = await new QueueHealthCheck(queues, NullLogger<QueueHealthCheck>.Instance)
            .CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        var bindings = await Should.ThrowAsync<BrokerUnreachableException>(() => queues.ConnectAsync("bindings", TestContext.Current.CancellationToken));

        health.Status.ShouldBe(HealthStatus.Unhealthy);
        bindings.GetBaseException().ShouldBeOfType<System.Security.Authentication.AuthenticationException>();
        elsewhere.Connections.ShouldBe(2);
        elsewhere.Spoken.ShouldBe(0, "no AMQP went over a connection to a certificate for another name");

        // The same certificate on an address it names: the handshake succeeds and AMQP begins, so the refusal was the name's.
        using var home = new Impostor(certificate, IPAddress.Loopback);
        await Should.ThrowAsync<BrokerUnreachableException>(() =>
            new ServiceQueues(new Uri($"amqps://intake:not-for-an-impostor@127.0.0.1:{home.Port}/")).ConnectAsync("bindings", TestContext.Current.CancellationToken));
        home.Spoken.ShouldBe(1, "the client spoke AMQP to the certificate's own address");
    }

    // A TLS server on a free port of address that counts the connections it is offered and those over which the client went on
    // to speak (sent the AMQP protocol header), then hangs up.
    sealed class Impostor : IDisposable
    {
        readonly TcpListener listener;
        readonly CancellationTokenSource stop = new();
        int connections, spoken;

        public Impostor(X509Certificate2 certificate, IPAddress address)
        {
            listener = new TcpListener(address, 0);
            listener.Start();
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
                                if (await tls.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false) > 0) Interlocked.Increment(ref spoken);
                            }
                            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
                            {
                                // The client broke off the handshake, as it should.
                            }
                        }
                    });
                }
            });
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref connections);
        public int Spoken => Volatile.Read(ref spoken);

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
