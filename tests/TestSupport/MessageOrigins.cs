using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;

namespace Harbour.Testing;

// Where messages come from (Contracts/PublishedBy.cs): the broker lets a service write only to the exchanges of the message
// types that name it as their publisher, so what a service puts in its outbox must name it, and nothing more may.
public static class MessageOrigins
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

    // What is wrong, if anything: a type the service writes that does not name it (the broker would refuse it), a type
    // naming it that it never writes (a write permission it does not need), or no call found at all (the search is broken).
    public static List<string> ProblemsOf(Assembly service, string publisher)
    {
        var written = OutboxTypesOf(service);
        if (written.Count == 0) return [$"no call of OutboxMessage.For found in {service.GetName().Name}"];
        var named = typeof(PublishedByAttribute).Assembly.GetExportedTypes()
            .Where(type => type.GetCustomAttribute<PublishedByAttribute>()?.Service == publisher).ToList();
        return [
            .. written.Where(type => type.GetCustomAttribute<PublishedByAttribute>()?.Service != publisher)
                .Select(type => $"{publisher} writes {type.Name}, which does not name it as its publisher"),
            .. named.Except(written).Select(type => $"{type.Name} names {publisher} as its publisher, which never writes it"),
        ];
    }
}
