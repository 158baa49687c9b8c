from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.i18n import translator
from dashboard.search_options import (
    INLINE_OPTIONS,
    MATCHES,
    initial_options,
    matching_options,
    no_unit_message,
)


def _options(n: int) -> list[dict[str, str]]:
    return [{"label": f"Community: Village {i} (C{i:05d})", "value": f"C{i:05d}"} for i in range(n)]


def test_short_lists_travel_whole_and_long_ones_only_their_choice() -> None:
    short = _options(INLINE_OPTIONS)
    assert initial_options(short, None) == short
    long = _options(INLINE_OPTIONS + 1)
    assert initial_options(long, None) == []
    assert initial_options(long, "C00007") == [long[7]]
    assert initial_options(long, ["C00009", "C00003"]) == [long[3], long[9]]


def test_matches_contain_the_text_in_any_case_and_keep_the_choice() -> None:
    options = _options(5000)
    got = matching_options(options, "village 12", "C04000")
    assert got[0] == options[4000]  # the chosen option stays, so the dropdown can show it
    labels = [o["label"] for o in got[1:]]
    assert len(labels) == MATCHES
    assert all("Village 12" in x for x in labels)
    assert labels[:2] == ["Community: Village 12 (C00012)", "Community: Village 120 (C00120)"]
    assert matching_options(options, "(C00042)", None) == [options[42]]
    assert matching_options(options, "   ", ["C00001"]) == [options[1]]
    assert matching_options(options, "nowhere", None) == []


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_no_match_message_exactly_when_no_option_shows(text: str) -> None:
    """The message names the typed text when, and only when, no option contains its words."""
    options = _options(50)
    message = no_unit_message(options, text, translator("en"))
    words = text.casefold().split()
    shown = [o for o in options if all(w in o["label"].casefold() for w in words)]
    assert (message is None) == (not words or bool(shown))
    # an option the server's search (the whole text) would list never gets the message
    if matching_options(options, text, None):
        assert message is None


def test_no_match_message_quotes_the_text_in_the_language() -> None:
    options = _options(10)
    assert no_unit_message(options, "village 3", translator("en")) is None
    assert no_unit_message(options, "  ", translator("en")) is None
    typed = "<b>Zzz</b>"
    assert no_unit_message(options, typed, translator("en")) == (
        "No community or watershed matches '<b>Zzz</b>'."
    )
    french = no_unit_message(options, "xyz", translator("fr"))
    assert french == "Aucune communauté ni aucun bassin ne correspond à « xyz »."
    long = no_unit_message(options, "q" * 200, translator("en")) or ""
    assert len(long) < 120 and "…" in long
