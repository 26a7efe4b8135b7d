using System.IO.Compression;
using Google.Protobuf;

namespace Pitwall.Server.Features.MapUpdates.Tiles;

/// <summary>One layer of a Mapbox vector tile (MVT 2.1): its features in tile coordinates (0..<see cref="Extent"/>).</summary>
internal sealed record VectorLayer(string Name, uint Extent, IReadOnlyList<VectorFeature> Features);

/// <summary>A feature: its geometry type (1 point, 2 line, 3 polygon), its <c>class</c> attribute, and its parts (lines or rings).</summary>
internal sealed record VectorFeature(int Type, string? Class, IReadOnlyList<IReadOnlyList<(int X, int Y)>> Parts);

/// <summary>
/// Reads Mapbox vector tiles as tilemaker writes them into <c>.mbtiles</c> (gzip or zlib compressed protobuf) — the layers, the
/// <c>class</c> attribute the renderer styles by, and the geometry commands (MoveTo, LineTo, ClosePath with zigzag deltas).
/// </summary>
internal static class VectorTile
{
    public static IReadOnlyList<VectorLayer> Decode(byte[] data)
    {
        var raw = data.Length > 2 && data[0] == 0x1F && data[1] == 0x8B ? Inflate(new GZipStream(new MemoryStream(data), CompressionMode.Decompress))
            : data.Length > 2 && data[0] == 0x78 ? Inflate(new ZLibStream(new MemoryStream(data), CompressionMode.Decompress))
            : data;
        var layers = new List<VectorLayer>();
        var input = new CodedInputStream(raw);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == Tag(3, 2))
            {
                layers.Add(Layer(input.ReadBytes()));
            }
            else
            {
                input.SkipLastField();
            }
        }
        return layers;
    }

    private static VectorLayer Layer(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string name = "";
        uint extent = 4096;
        var keys = new List<string>();
        var values = new List<string?>();
        var features = new List<ByteString>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case var t when t == Tag(1, 2): name = input.ReadString(); break;
                case var t when t == Tag(2, 2): features.Add(input.ReadBytes()); break;
                case var t when t == Tag(3, 2): keys.Add(input.ReadString()); break;
                case var t when t == Tag(4, 2): values.Add(StringValue(input.ReadBytes())); break;
                case var t when t == Tag(5, 0): extent = input.ReadUInt32(); break;
                default: input.SkipLastField(); break;
            }
        }
        var classKey = keys.IndexOf("class");
        return new VectorLayer(name, extent == 0 ? 4096 : extent, [.. features.Select(f => Feature(f, classKey, values))]);
    }

    private static string? StringValue(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == Tag(1, 2))
            {
                return input.ReadString();
            }
            input.SkipLastField();
        }
        return null;
    }

    private static VectorFeature Feature(ByteString bytes, int classKey, List<string?> values)
    {
        var input = bytes.CreateCodedInput();
        var type = 0;
        var tags = new List<uint>();
        var geometry = new List<uint>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case var t when t == Tag(2, 2): Packed(input.ReadBytes(), tags); break;
                case var t when t == Tag(3, 0): type = input.ReadEnum(); break;
                case var t when t == Tag(4, 2): Packed(input.ReadBytes(), geometry); break;
                default: input.SkipLastField(); break;
            }
        }
        string? @class = null;
        for (var i = 0; i + 1 < tags.Count; i += 2)
        {
            if (tags[i] == classKey && tags[i + 1] < values.Count)
            {
                @class = values[(int)tags[i + 1]];
            }
        }
        return new VectorFeature(type, @class, Parts(geometry));
    }

    /// <summary>The geometry commands as parts: each MoveTo starts one (a point, a line or a ring); ClosePath ends a ring.</summary>
    private static List<IReadOnlyList<(int X, int Y)>> Parts(List<uint> commands)
    {
        var parts = new List<IReadOnlyList<(int X, int Y)>>();
        List<(int X, int Y)>? current = null;
        int x = 0, y = 0, i = 0;
        while (i < commands.Count)
        {
            var command = commands[i++];
            var id = command & 0x7;
            var count = (int)(command >> 3);
            if (id == 7)
            {
                current = null;
                continue;
            }
            for (var n = 0; n < count && i + 1 < commands.Count; n++)
            {
                x += Zigzag(commands[i++]);
                y += Zigzag(commands[i++]);
                if (id == 1)
                {
                    current = [];
                    parts.Add(current);
                }
                current?.Add((x, y));
            }
        }
        return parts;
    }

    private static void Packed(ByteString bytes, List<uint> into)
    {
        var input = bytes.CreateCodedInput();
        while (!input.IsAtEnd)
        {
            into.Add(input.ReadUInt32());
        }
    }

    private static int Zigzag(uint value) => (int)(value >> 1) ^ -(int)(value & 1);

    private static uint Tag(int field, int wireType) => (uint)((field << 3) | wireType);

    private static byte[] Inflate(Stream stream)
    {
        using (stream)
        {
            using var output = new MemoryStream();
            stream.CopyTo(output);
            return output.ToArray();
        }
    }
}
