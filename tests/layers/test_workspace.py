"""The team workspace: round trip, validation, conflicts, concurrent writers, kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from layers.workspace import ConflictError, Workspace
from tests.workspace_writers import SITE, save_until_killed, write_shortlists, writers


def test_round_trip(workspace_url: str) -> None:
    ws = Workspace(workspace_url)
    saved = ws.save_shortlist("Ponds, phase 1", [SITE], "farm_ponds", "amina", "first pass")
    again = Workspace(workspace_url).get_shortlist(saved.id)  # a second connection
    assert again.name == "Ponds, phase 1" and again.author == "amina"
    assert again.sites == [SITE] and again.intervention == "farm_ponds"
    renamed = ws.update_shortlist(saved.id, saved.version, name="Ponds, phase 2")
    assert renamed.version == saved.version + 1
    assert [s.name for s in ws.list_shortlists()] == ["Ponds, phase 2"]
    ws.delete_shortlist(saved.id)
    assert ws.list_shortlists() == []
    with pytest.raises(KeyError):
        ws.get_shortlist(saved.id)
    sc = ws.save_scenario("Rain -10 %", {"rain_pct": -10}, {"runoff_m3_yr": -1200.0})
    assert ws.get_scenario(sc.id).spec == {"rain_pct": -10}
    assert ws.get_scenario(sc.id).results == {"runoff_m3_yr": -1200.0}
    ws.delete_scenario(sc.id)
    assert ws.list_scenarios() == []


@pytest.mark.parametrize(
    ("name", "sites", "message"),
    [
        ("  ", [SITE], "name is required"),
        ("x" * 201, [SITE], "longer than 200"),
        ("ok", [{"lon": "east", "lat": 1}], "numeric 'lon' and 'lat'"),
        ("ok", [{"lon": 37.3}], "numeric 'lon' and 'lat'"),
        ("ok", [{"lon": -1.3, "lat": 137.3}], "not WGS84"),
        ("ok", [SITE] * 1001, "at most 1000"),
    ],
)
def test_bad_saves_are_refused(workspace_url: str, name: str, sites: list, message: str) -> None:
    ws = Workspace(workspace_url)
    with pytest.raises(ValueError, match=message):
        ws.save_shortlist(name, sites)
    assert ws.list_shortlists() == []


def test_stale_edit_is_a_conflict(workspace_url: str) -> None:
    ws = Workspace(workspace_url)
    saved = ws.save_shortlist("A", [SITE])
    ws.update_shortlist(saved.id, saved.version, notes="colleague's edit")
    with pytest.raises(ConflictError, match="changed by someone else"):
        ws.update_shortlist(saved.id, saved.version, notes="my edit from a stale copy")
    assert ws.get_shortlist(saved.id).notes == "colleague's edit"


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(workspace_url: str) -> None:
    shared = Workspace(workspace_url).save_shortlist("shared", [])
    workers, per_worker = 4, 15
    ctx = writers()
    procs = [
        ctx.Process(target=write_shortlists, args=(workspace_url, w, shared.id, per_worker))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    ws = Workspace(workspace_url)
    names = {s.name for s in ws.list_shortlists()}
    assert {f"w{w}-{i}" for w in range(workers) for i in range(per_worker)} <= names
    # every concurrent read-modify-write append is present: no lost update
    assert len(ws.get_shortlist(shared.id).sites) == workers * per_worker
    assert ws.integrity_ok()


@pytest.mark.slow
def test_kill_during_saves_never_corrupts(workspace_url: str) -> None:
    ws = Workspace(workspace_url)
    earlier = ws.save_shortlist("before the crashes", [SITE])
    rng = random.Random(7)
    committed: set[str] = set()
    ctx = writers()
    for round_ in range(5):
        reports, done = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=save_until_killed, args=(workspace_url, str(round_), done))
        proc.start()
        done.close()
        assert reports.poll(60), "the writer saved nothing within a minute"
        committed.add(reports.recv()[1])  # it is writing
        time.sleep(rng.uniform(0.01, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        committed |= _received_names(reports)
        after = Workspace(workspace_url)
        assert after.integrity_ok()
        names = {s.name for s in after.list_shortlists()}
        assert committed <= names, "a save reported as committed is missing"
        assert after.get_shortlist(earlier.id).sites == [SITE]
        after.close()
    assert len(committed) >= 5


def _received_names(reports: Connection) -> set[str]:
    """The names a killed writer reported before it died (the pipe is closed after)."""
    names = set()
    with reports:
        try:
            while reports.poll():
                names.add(reports.recv()[1])
        except EOFError:
            pass
    return names


def test_the_environment_chooses_the_region_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workspace.for_region(tmp_path).save_shortlist("in the region", [SITE])
    assert (tmp_path / "workspace.sqlite").is_file()
    team = f"sqlite:///{tmp_path / 'team.sqlite'}"
    monkeypatch.setenv("LANDWATER_WORKSPACE_URL", team)
    assert Workspace.for_region(tmp_path).url == team
    assert Workspace.for_region(tmp_path).list_shortlists() == []
    assert Workspace.for_region(tmp_path, team).url == team  # a given URL wins
    monkeypatch.setenv("LANDWATER_WORKSPACE_URL", "  ")
    assert [s.name for s in Workspace.for_region(tmp_path).list_shortlists()] == ["in the region"]
    with pytest.raises(ValueError, match=r"cannot be used.*postgresql\+psycopg://USER@HOST"):
        Workspace("postgres-ql://nowhere/db")


def test_a_workspace_made_before_the_sites_points_opens(tmp_path: Path) -> None:
    """An older SQLite file without ``sites_geometry`` gains the column; its rows read as before."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    old = Workspace(url).save_shortlist("old", [SITE])
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE shortlists DROP COLUMN sites_geometry"))
    engine.dispose()
    ws = Workspace(url)
    assert ws.get_shortlist(old.id).sites == [SITE]
    new = ws.save_shortlist("new", [SITE, {"lon": 37.4, "lat": -1.2}])
    ws.append_sites(old.id, [SITE])
    with create_engine(url).connect() as conn:
        points = dict(conn.execute(text("SELECT id, sites_geometry FROM shortlists")).all())
    assert json.loads(points[new.id]) == {
        "type": "MultiPoint",
        "coordinates": [[37.3, -1.3], [37.4, -1.2]],
    }
    assert json.loads(points[old.id])["coordinates"] == [[37.3, -1.3], [37.3, -1.3]]
