using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Harbour.Testing;

// A loopback TCP relay in front of a real server that a test can shut and open, to play an outage
// without stopping a server that other tests share.
public sealed class TcpGate : IDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly ConcurrentDictionary<TcpClient, byte> connections = new();
    readonly string targetHost;
    readonly int targetPort;
    volatile bool open;

    public TcpGate(Uri target, bool open)
    {
        (targetHost, targetPort, this.open) = (target.Host, target.Port, open);
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Open() => open = true;

    public void Shut()
    {
        open = false;
        foreach (var connection in connections.Keys) connection.Dispose();
        connections.Clear();
    }

    async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(); }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { return; }
            if (!open) { client.Dispose(); continue; }
            _ = RelayAsync(client);
        }
    }

    async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        connections[client] = 0;
        connections[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(targetHost, targetPort);
            var down = client.GetStream();
            var up = upstream.GetStream();
            await Task.WhenAny(down.CopyToAsync(up), up.CopyToAsync(down));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The gate was shut or a side hung up: the relay ends, as a network outage would end it.
        }
        finally
        {
            connections.TryRemove(client, out _);
            connections.TryRemove(upstream, out _);
            client.Dispose();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        Shut();
    }
}
