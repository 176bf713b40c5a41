using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Testing;

// Where messages go (Contracts/MessageRoutes.cs): the broker lets a service write only to the exchanges of the message types
// that name it as their publisher, and bind only those that name it as a consumer. So what a service puts in its outbox
// must name it as publisher, what its consumers take must name it as consumer, and nothing else may name it.
public static class MessageRoutes
{
    // Every type OutboxMessage.For<T> is called with in a service's assembly, read from the assembly's own generic method
    // instantiations (its MethodSpec table), so that no call can be left out.
    public static List<Type> OutboxTypesOf(Assembly service)
    {
        using var file = File.OpenRead(service.Location);
        using var image = new PEReader(file);
        var metadata = image.GetMetadataReader();
        var open = typeof(OutboxMessage).GetMethod(nameof(OutboxMessage.For))!;
        var found = new List<Type>();
        for (var row = 1; row <= metadata.GetTableRowCount(TableIndex.MethodSpec); row++)
        {
            var handle = MetadataTokens.MethodSpecificationHandle(row);
            // Only calls of a method named For on a type named OutboxMessage are resolved: others may need a generic context.
            if (metadata.GetMethodSpecification(handle).Method is not { Kind: HandleKind.MemberReference } target) continue;
            var member = metadata.GetMemberReference((MemberReferenceHandle)target);
            if (!metadata.StringComparer.Equals(member.Name, open.Name) || member.Parent.Kind != HandleKind.TypeReference
                || !metadata.StringComparer.Equals(metadata.GetTypeReference((TypeReferenceHandle)member.Parent).Name, nameof(OutboxMessage))) continue;
            var method = (MethodInfo)service.ManifestModule.ResolveMethod(MetadataTokens.GetToken(handle))!;
            if (method.GetGenericMethodDefinition() != open) continue;
            var type = method.GetGenericArguments()[0];
            if (type.IsGenericParameter) throw new InvalidOperationException("OutboxMessage.For is called with a type parameter: name the message type at the call");
            found.Add(type);
        }
        return found.Distinct().OrderBy(type => type.Name).ToList();
    }

    // Every message type of Harbour's the consumers registered in a running service take (IConsumer<T> of each), and the
    // faults of Harbour's messages they take (IConsumer<Fault<T>>, as Fault<T>).
    public static List<Type> ConsumedTypesOf(IServiceProvider services) =>
        services.GetServices<IConsumerRegistration>()
            .SelectMany(registration => registration.Type.GetInterfaces())
            .Where(contract => contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(contract => contract.GetGenericArguments()[0])
            .Where(type => (FaultOf(type) ?? type).Assembly == typeof(ServiceNames).Assembly)
            .Distinct().OrderBy(type => type.Name).ToList();

    static Type? FaultOf(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Fault<>) ? type.GetGenericArguments()[0] : null;

    // What is wrong, if anything: a type the service writes or consumes that does not name it (the broker would refuse it),
    // a type naming it that it never writes or consumes (a permission it does not need), a fault it consumes of a message it
    // does not consume itself (faults never leave the service that failed), or nothing found (a broken search).
    public static List<string> ProblemsOf(string service, IReadOnlyCollection<Type> published, IReadOnlyCollection<Type> consumed)
    {
        var messages = typeof(ServiceNames).Assembly.GetExportedTypes();
        static List<string> Compare(string service, string role, IEnumerable<Type> found, IEnumerable<Type> named) => [
            .. found.Except(named).Select(type => $"{service} {role} {type.Name}, which does not name it"),
            .. named.Except(found).Select(type => $"{type.Name} names {service}, which never {role} it"),
        ];
        var consumes = messages.Where(type => type.GetCustomAttribute<ConsumedByAttribute>()?.Services.Contains(service) == true).ToList();
        var faults = messages.Where(type => type.GetCustomAttribute<FaultConsumedByAttribute>()?.Services.Contains(service) == true).ToList();
        return [
            .. published.Count + consumed.Count == 0 ? [$"nothing found that {service} publishes or consumes"] : Array.Empty<string>(),
            .. Compare(service, "publishes", published, messages.Where(type => type.GetCustomAttribute<PublishedByAttribute>()?.Service == service)),
            .. Compare(service, "consumes", consumed.Where(type => FaultOf(type) is null), consumes),
            .. Compare(service, "consumes the fault of", consumed.Select(FaultOf).OfType<Type>(), faults),
            .. faults.Except(consumes).Select(type => $"{type.Name} names {service} as its fault's consumer but not as its consumer"),
        ];
    }
}
