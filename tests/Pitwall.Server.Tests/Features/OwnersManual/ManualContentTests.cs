using Pitwall.Server.Features.OwnersManual;

namespace Pitwall.Server.Tests.Features.OwnersManual;

/// <summary>The shipped manual parses, every link it makes resolves, and the search finds what a reader types.</summary>
public sealed class ManualContentTests
{
    private static readonly ManualContent Shipped = ManualContent.Shipped();

    [Fact]
    public void The_shipped_manual_is_real_sized_and_every_drawing_it_names_is_embedded()
    {
        Assert.True(Shipped.Sections.Count >= 40, $"{Shipped.Sections.Count} sections");
        Assert.True(Shipped.Sections.Select(s => s.ChapterId).Distinct().Count() >= 8);
        foreach (var section in Shipped.Sections.Where(s => s.Image is not null))
        {
            Assert.NotNull(ManualContent.Image(section.Image!));
        }
        Assert.Null(ManualContent.Image("../manual"));
        Assert.Null(ManualContent.Image("manual.txt"));
    }

    [Theory]
    [InlineData("Taycan", "charging-port", true)]
    [InlineData("Taycan", "engine-oil", false)]
    [InlineData("911 Carrera", "engine-oil", true)]
    [InlineData("911 Carrera", "tyre-pressure", true)]
    public void A_reader_sees_the_sections_of_the_cars_model(string model, string section, bool shown) =>
        Assert.Equal(shown, Shipped.Find(section, model) is not null);

    [Fact]
    public void A_warning_links_to_the_first_section_that_explains_it()
    {
        Assert.Equal("battery-12v", Shipped.ForWarning("battery_12v_low", "Taycan")?.Id); // jump-starting names it too
        Assert.Null(Shipped.ForWarning("no_such_warning", "Taycan"));
    }

    [Theory]
    [InlineData("tyres", "tyre-pressure")]
    [InlineData("TYRE PRESSURE", "tyre-pressure")]
    [InlineData("pre-conditioning", "pre-conditioning")]
    [InlineData("charging cable", "charging-port")]
    [InlineData("jump star", "jump-starting")]
    public void The_search_finds_what_a_reader_types(string query, string first) =>
        Assert.Equal(first, Shipped.Search(query, "Taycan", 5)[0].Section.Id);

    [Fact]
    public void Every_word_must_occur_and_a_model_only_finds_its_sections()
    {
        Assert.Empty(Shipped.Search("tyre zebra", "Taycan", 5));
        Assert.DoesNotContain(Shipped.Search("oil", "Taycan", 20), h => h.Section.Id == "engine-oil");
        Assert.Contains(Shipped.Search("oil", "Cayenne", 20), h => h.Section.Id == "engine-oil");
    }

    [Theory]
    [InlineData("## orphan Section\ntext", "line 1: a section before the first chapter")]
    [InlineData("# c Chapter\nloose text", "line 2: text outside a section")]
    [InlineData("# c Chapter\n## Bad Id\ntext", "line 2: a heading needs an id")]
    [InlineData("# c Chapter\n## s Section\n## s Again\ntext", "section 's' is empty or not unique")]
    public void A_broken_manual_names_its_line(string text, string error) =>
        Assert.Contains(error, Assert.Throws<FormatException>(() => ManualFormat.Parse(text)).Message);
}
