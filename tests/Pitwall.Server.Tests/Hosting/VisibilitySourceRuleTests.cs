using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Hosting;

/// <summary>
/// DESIGN §3.4b: a feature's types are <c>internal</c> unless another folder needs them, so that a folder's public types
/// are its contract — no more (a public type only its folder uses) and no less (an internal type another folder uses). A public top-level type of <c>src/Pitwall.Server</c> must be named outside its own folder
/// (<c>Features/&lt;X&gt;</c>, <c>Hosting</c>, <c>Data</c>, <c>Gateway</c>, <c>Web</c>, or the benchmark), or be exposed by
/// the public surface of such a type (a constructor parameter the container fills, a record's property, a method's
/// result — the compiler then requires it public), or be public for a framework.
/// </summary>
public sealed partial class VisibilitySourceRuleTests
{
    /// <summary>Public for a framework or a tool, not because another folder names them.</summary>
    private static readonly string[] FrameworkPublic =
    [
        "Pitwall.Server.Program", // the entry point; the benchmark builds the app through Program.BuildApp
    ];

    /// <summary>A top-level type: its folder, the names that use it (its own, its extension methods as
    /// <c>.Name(</c>) and the server's public types its public surface exposes.</summary>
    internal sealed record ServerType(string FullName, string Namespace, string Owner, string Name, IReadOnlyList<string> ExtensionMethods,
        IReadOnlyList<string> Exposes);

    internal sealed record Source(string Owner, string File, string Code);

    [Fact]
    public void Every_public_type_is_used_outside_its_folder_or_required_by_one_that_is()
    {
        var types = ServerTypes(typeof(Program).Assembly, isPublic: true);
        Assert.Contains(types, t => t.FullName == "Pitwall.Server.Features.Vehicles.IVehicleAccess"); // the rule sees the types
        var offenders = Unjustified(types, Sources());
        Assert.True(offenders.Count == 0,
            "Make these internal (nothing outside their folder needs them) or list them as framework-required: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Every_internal_type_is_used_only_inside_its_folder()
    {
        var offenders = UsedOutside(ServerTypes(typeof(Program).Assembly, isPublic: false), Sources());
        Assert.True(offenders.Count == 0,
            "Another folder uses these: make them public (part of their folder's contract) or use that folder's public interface: " + string.Join(", ", offenders));
    }

    internal static IReadOnlyList<string> UsedOutside(IReadOnlyList<ServerType> internals, IReadOnlyList<Source> sources) =>
        [.. internals.Where(t => NamedOutside(t, sources)).Select(t => t.FullName).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_rules_catch_a_public_type_only_its_feature_uses_and_an_internal_type_another_uses()
    {
        ServerType[] types =
        [
            new("Pitwall.Server.Features.Vehicles.IVehicleAccess", "Pitwall.Server.Features.Vehicles", "Features/Vehicles", "IVehicleAccess", [],
                ["Pitwall.Server.Features.Vehicles.VehicleGrant"]),
            new("Pitwall.Server.Features.Vehicles.VehicleGrant", "Pitwall.Server.Features.Vehicles", "Features/Vehicles", "VehicleGrant", [], []),
            new("Pitwall.Server.Features.Vehicles.VehiclesModule", "Pitwall.Server.Features.Vehicles", "Features/Vehicles", "VehiclesModule", ["AddVehicles"], []),
            new("Pitwall.Server.Features.Vehicles.VehicleRow", "Pitwall.Server.Features.Vehicles", "Features/Vehicles", "VehicleRow", [], []),
            new("Pitwall.Server.Features.Trips.TripRow", "Pitwall.Server.Features.Trips", "Features/Trips", "TripRow", [], []),
        ];
        Source[] sources =
        [
            new("Features/Vehicles", "Features/Vehicles/VehicleStore.cs", "namespace Pitwall.Server.Features.Vehicles; class VehicleStore { VehicleRow r; }"),
            new("Features/Trips", "Features/Trips/TripStore.cs",
                "using Pitwall.Server.Features.Vehicles; namespace Pitwall.Server.Features.Trips; class TripStore(IVehicleAccess a) { }"),
            new("Features/Status", "Features/Status/StatusStore.cs", "namespace Pitwall.Server.Features.Status; class StatusStore { TripRow r; }"),
            new("", "Program.cs", "using Pitwall.Server.Features.Vehicles; namespace Pitwall.Server; builder.AddVehicles();"),
        ];
        // VehicleGrant is exposed by IVehicleAccess; StatusStore names a TripRow but cannot see the Trips namespace.
        Assert.Equal(["Pitwall.Server.Features.Trips.TripRow", "Pitwall.Server.Features.Vehicles.VehicleRow"], Unjustified(types, sources));
        // The other way round: were IVehicleAccess internal, Trips would use a type that is not Vehicles' contract.
        Assert.Equal(["Pitwall.Server.Features.Vehicles.IVehicleAccess"], UsedOutside([types[0], types[3]], sources));
    }

    /// <summary>The public types no other folder names and no justified public type exposes (a fixpoint: a type exposed
    /// only by an unjustified one is not justified either).</summary>
    internal static IReadOnlyList<string> Unjustified(IReadOnlyList<ServerType> types, IReadOnlyList<Source> sources)
    {
        var byName = types.ToDictionary(t => t.FullName, StringComparer.Ordinal);
        var justified = types.Where(t => FrameworkPublic.Contains(t.FullName) || NamedOutside(t, sources)).Select(t => t.FullName).ToHashSet();
        var pending = new Queue<string>(justified);
        while (pending.TryDequeue(out var next))
        {
            foreach (var exposed in byName[next].Exposes.Where(e => byName.ContainsKey(e) && justified.Add(e)))
            {
                pending.Enqueue(exposed);
            }
        }
        return [.. types.Select(t => t.FullName).Where(n => !justified.Contains(n)).Order(StringComparer.Ordinal)];
    }

    private static bool NamedOutside(ServerType type, IReadOnlyList<Source> sources)
    {
        var use = new Regex(@"\b" + type.Name + @"\b" + string.Concat(type.ExtensionMethods.Select(m => @"|\.\s*" + m + @"\s*[<(]")));
        // A file sees the namespace when it imports it, is in it (or below it), or qualifies the name.
        var sees = new Regex(@"\b" + Regex.Escape(type.Namespace) + @"\s*[;.]|\b" + Regex.Escape(type.Namespace.Split('.')[^1]) + @"\." + type.Name + @"\b");
        return sources.Any(s => s.Owner != type.Owner && use.IsMatch(s.Code) && sees.IsMatch(s.Code));
    }

    /// <summary>The server's public (or internal) top-level types, read from the compiled assembly; no compiler-made ones.</summary>
    internal static IReadOnlyList<ServerType> ServerTypes(Assembly server, bool isPublic) =>
        [.. server.GetTypes()
            .Where(t => (isPublic ? t.IsPublic : t.IsNotPublic) && !t.Name.Contains('<', StringComparison.Ordinal) &&
                        t.Namespace?.StartsWith("Pitwall.Server", StringComparison.Ordinal) == true)
            .Select(t => new ServerType(t.FullName!, t.Namespace!, OwnerOf(t.Namespace!), Regex.Replace(t.Name, "`.*", ""),
                [.. t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Where(m => m.IsDefined(typeof(ExtensionAttribute), false)).Select(m => m.Name).Distinct()],
                [.. Surface(t).Where(e => !e.IsGenericParameter).Select(TopLevel).Where(e => e != t && e.Assembly == server).Select(e => e.FullName!).Distinct()]))];

    /// <summary>Pitwall.Server.Features.Vehicles(.Sub) → Features/Vehicles; Pitwall.Server.Gateway(.Sub) → Gateway.</summary>
    private static string OwnerOf(string ns)
    {
        var parts = ns.Split('.').Skip(2).ToArray();
        return parts.Length == 0 ? "" : parts[0] == "Features" ? $"Features/{parts[1]}" : parts[0];
    }

    /// <summary>Every type named by the members other assemblies or folders could use: base type, interfaces, public and
    /// protected constructors, methods, properties, fields, events and nested types.</summary>
    private static IEnumerable<Type> Surface(Type type)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        IEnumerable<Type> named = [.. type.GetInterfaces(), .. type.BaseType is { } b ? [b] : Array.Empty<Type>()];
        foreach (var member in type.GetMembers(declared))
        {
            named = named.Concat(member switch
            {
                MethodBase m when m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly =>
                    m.GetParameters().Select(p => p.ParameterType).Concat(m is MethodInfo i ? [i.ReturnType] : []),
                PropertyInfo p when p.GetAccessors().Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly) => [p.PropertyType],
                FieldInfo f when f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly => [f.FieldType],
                EventInfo e when e.AddMethod is { } add && (add.IsPublic || add.IsFamily) => [e.EventHandlerType!],
                Type nested when nested.IsNestedPublic || nested.IsNestedFamily => Surface(nested).Append(nested),
                _ => [],
            });
        }
        return named.SelectMany(Unwrap);
    }

    private static IEnumerable<Type> Unwrap(Type type) =>
        type.HasElementType ? Unwrap(type.GetElementType()!)
        : type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap).Append(type.GetGenericTypeDefinition())
        : [type];

    private static Type TopLevel(Type type) => type.DeclaringType is { } outer ? TopLevel(outer) : type;

    /// <summary>The server's C# and Razor files and the benchmark's C# files, without comments and string literals; a Razor
    /// file carries the <c>@using</c>s of the <c>_ViewImports.cshtml</c> files above it.</summary>
    private static IReadOnlyList<Source> Sources()
    {
        var root = PortalBrowser.RepositoryRoot();
        var server = Path.Combine(root, "src", "Pitwall.Server");
        var bench = Path.Combine(root, "bench", "Pitwall.Bench");
        return [.. Files(server, "*.cs").Concat(Files(server, "*.cshtml")).Select(f => new Source(OwnerOfFile(server, f), Path.GetRelativePath(root, f), Code(server, f)))
            .Concat(Files(bench, "*.cs").Select(f => new Source("bench", Path.GetRelativePath(root, f), Code(bench, f))))];
    }

    private static IEnumerable<string> Files(string directory, string pattern) =>
        Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(directory, f).Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin" or "node_modules"));

    private static string OwnerOfFile(string server, string file)
    {
        var parts = Path.GetRelativePath(server, file).Split(Path.DirectorySeparatorChar);
        return parts.Length == 1 ? "" : parts[0] == "Features" ? $"Features/{parts[1]}" : parts[0];
    }

    private static string Code(string project, string file)
    {
        var code = Literal().Replace(Comment().Replace(File.ReadAllText(file), ""), "\"\"");
        if (!file.EndsWith(".cshtml", StringComparison.Ordinal))
        {
            return code;
        }
        for (var directory = Path.GetDirectoryName(file)!; directory.StartsWith(project, StringComparison.Ordinal); directory = Path.GetDirectoryName(directory)!)
        {
            var imports = Path.Combine(directory, "_ViewImports.cshtml");
            code += File.Exists(imports) ? string.Concat(RazorUsing().Matches(File.ReadAllText(imports)).Select(m => $"\nusing {m.Groups[1].Value};")) : "";
        }
        return code;
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex Comment();

    /// <summary>A plain string literal (not interpolated, not verbatim): its text names no type.</summary>
    [GeneratedRegex(@"(?<![$@\w])""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex Literal();

    [GeneratedRegex(@"^\s*@using\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex RazorUsing();
}
