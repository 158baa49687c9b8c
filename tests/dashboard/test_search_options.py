from __future__ import annotations

from dashboard.search_options import INLINE_OPTIONS, MATCHES, initial_options, matching_options


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
