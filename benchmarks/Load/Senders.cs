using System.Net;
using System.Net.Sockets;

namespace Harbour.Benchmarks.Load;

public static class Senders
{
    // An HTTP client whose connections leave from a loopback address of its own (all of 127.0.0.0/8 is this machine),
    // so the gateway sees it as a sender of its own, as it would see a phone on another network.
    public static HttpClient From(IPAddress source, Uri server) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = server,
        Timeout = TimeSpan.FromSeconds(30),
    };

    // The n-th address of a crowd of senders, each different: 127.1.0.1, 127.1.0.2, ...
    public static IPAddress OneOfMany(int n) => new([127, 1, (byte)(n / 250), (byte)(n % 250 + 1)]);
}
