from people import sections
from people.sections import Section


def test_sections_render_in_order_and_hidden_ones_are_skipped(monkeypatch):
    monkeypatch.setattr(sections, "_registry", [])

    @sections.register(20)
    def second(request, person):
        return Section("Second", "second.html")

    @sections.register(10)
    def first(request, person):
        return Section("First", "first.html", {"person": person})

    @sections.register(30)
    def hidden(request, person):
        return None

    result = sections.sections_for(None, "p")

    assert [s.title for s in result] == ["First", "Second"]
    assert result[0].context == {"person": "p"}


def test_registering_twice_keeps_one_entry(monkeypatch):
    monkeypatch.setattr(sections, "_registry", [])

    def section(request, person):
        return Section("Once", "once.html")

    sections.register(1)(section)
    sections.register(1)(section)

    assert len(sections.sections_for(None, None)) == 1
