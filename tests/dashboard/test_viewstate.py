from __future__ import annotations

from dashboard.viewstate import ViewState, centre_of, encode_view, parse_search, parse_view


def test_round_trip() -> None:
    view = ViewState(
        lat=-1.4,
        lon=37.38,
        zoom=12,
        indicator="deficit",
        month=4,
        selection={"level": "communities", "id": "C070"},
        overlays=("Land use", "Rainfall"),
    )
    search = encode_view(view)
    assert search.startswith("?lat=-1.40000&lon=37.38000&z=12&ind=deficit&m=4")
    assert parse_search(search) == view


def test_defaults_and_garbage() -> None:
    assert encode_view(ViewState()) == ""
    assert parse_search("") == ViewState()
    bad = parse_view(
        {"lat": "north", "lon": "999", "z": "40", "m": "13", "sel": "planets:X", "ind": ""}
    )
    assert bad == ViewState()
    assert parse_view({"layers": ""}).overlays == ()  # every overlay switched off


def test_centre_formats() -> None:
    assert centre_of({"lat": -1.5, "lng": 37.2}) == (-1.5, 37.2)
    assert centre_of([-1.5, 37.2]) == (-1.5, 37.2)
    assert centre_of(None) == (None, None)
    assert centre_of({"lat": "x", "lng": 1}) == (None, None)


def test_designer_weights_round_trip_through_the_url() -> None:
    from dashboard.viewstate import ViewState, encode_view, parse_search

    view = ViewState(page="design", intervention="sand_dams", weights=(0.4, 0.35, 0.25))
    assert parse_search(encode_view(view)) == view
    assert parse_search("?iv=sand_dams&w=0.4,abc").weights is None
    assert parse_search("?iv=sand_dams&w=0,0").weights is None


def test_saved_area_link_opens_the_designers_page() -> None:
    area_id = "AbC-_123456789xyz"[:16]
    view = parse_search(f"?area={area_id}&lang=sw")
    assert view.area == area_id and view.page == "design" and view.lang == "sw"
    assert parse_search(encode_view(view)) == view
    assert encode_view(view) == f"?lang=sw&page=design&area={area_id}"
    # anything not shaped like an id is ignored, never looked up
    for bad in ("../workspace.sqlite", "1", "A" * 17, "%3Cscript%3E", "A" * 15 + "/"):
        assert parse_search(f"?area={bad}").area is None
        assert parse_search(f"?area={bad}").page == "map"
