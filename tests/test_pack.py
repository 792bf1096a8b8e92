from __future__ import annotations

import dataclasses
import pickle
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from watchfloor.errors import WatchfloorError
from watchfloor.pack import (
    MODALITY_OPTIONAL,
    MODALITY_REQUIRED,
    PACK_FILES,
    PLACE_KINDS,
    PLOVER_TYPES,
    WEAPON_CLASSES,
    Pack,
    load_pack,
    pack_sha256,
)
from watchfloor.records import EVENT_TYPES
from watchfloor.settings import PACKS_DIR

KOREA = PACKS_DIR / "korea"
REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"


@pytest.fixture(scope="module")
def korea() -> Pack:
    return load_pack(KOREA)


# --- a small pack of our own, to break in one place at a time -------------------------------


def minimal_files() -> dict[str, Any]:
    event_types = {
        t: {"cameo": "010", "plover": "ACCUSE", "definition": f"the {t} type", "verbs": ["say"]}
        for t in EVENT_TYPES
    }
    return {
        "pack.yaml": {"name": "tiny", "description": "a test pack", "default_tz": "UTC"},
        "actors.yaml": {
            "actors": [
                {
                    "code": "AAA",
                    "name": "Avaland",
                    "kind": "state",
                    "aliases": ["Ava City"],
                    "demonyms": ["Avalandish"],
                },
                {
                    "code": "AAA",
                    "name": "Ada Lee",
                    "kind": "person",
                    "aliases": ["Ada Lee"],
                    "roles": [{"role": "president", "from": "2015-01-01", "to": "2019-12-31"}],
                },
            ],
            "role_nouns": ["official"],
        },
        "weapons.yaml": {
            "systems": [{"name": "Test-1", "classes": ["SRBM"], "aliases": ["T-1"]}],
            "classes": [{"class": "SRBM", "phrases": ["short-range missile"]}],
        },
        "places.yaml": {
            "places": [
                {
                    "name": "Ava Range",
                    "country": "AAA",
                    "kind": "test_site",
                    "lat": 10.5,
                    "lon": 20.25,
                }
            ],
            "datelines": {"AVA CITY": "Asia/Seoul"},
        },
        "outlets.yaml": {"outlets": [{"name": "Ava Wire", "country": "AAA", "state_media": True}]},
        "ontology.yaml": {"event_types": event_types},
        "modality.yaml": {
            m: ["maybe"] for m in ("hypothetical", "intended", "desired", "negated", "report")
        },
    }


def write_pack(root: Path, files: dict[str, Any]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (root / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


def load_error(root: Path) -> WatchfloorError:
    with pytest.raises(WatchfloorError) as info:
        load_pack(root)
    return info.value


def broken(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> WatchfloorError:
    files = minimal_files()
    change(files)
    return load_error(write_pack(tmp_path / "pack", files))


# --- the korea pack ---------------------------------------------------------------------------


def test_korea_pack_has_exactly_the_gold_event_types(korea: Pack) -> None:
    assert list(korea.event_types) == list(EVENT_TYPES)
    assert korea.event_types["sanction"].cameo == "163"
    assert korea.event_types["appeal"].plover == "REQUEST"


def test_capital_and_demonym_resolve_to_their_state(korea: Pack) -> None:
    for text in ("Pyongyang", "DPRK", "North Korean", "the North"):
        actor = korea.actor(text)
        assert actor is not None and actor.code == "PRK", text
    seoul = korea.actor("Seoul")
    assert seoul is not None and seoul.code == "KOR"


def test_code_gives_the_state_not_a_person_or_body_sharing_it(korea: Pack) -> None:
    usa = korea.actor("USA")
    assert usa is not None and (usa.kind, usa.name) == ("state", "United States")
    pentagon = korea.actor("Pentagon")
    assert pentagon is not None and (pentagon.code, pentagon.kind) == ("USA", "organisation")
    unsc = korea.actor("UNSC")
    assert unsc is not None and unsc.kind == "organisation"


def test_codes_and_names_match_ignoring_case_but_aliases_do_not(korea: Pack) -> None:
    actor = korea.actor("north korea")
    assert actor is not None and actor.code == "PRK"
    prk = korea.actor("prk")
    assert prk is not None and prk.name == "North Korea"
    assert korea.actor("us") is None  # the pronoun, not the United States
    assert korea.actor("no such actor") is None


def test_family_name_alone_is_ambiguous_and_not_resolved(korea: Pack) -> None:
    assert korea.actor("Kim") is None
    named = {a.name for a in korea.actors_named("Kim")}
    assert {"Kim Jong Un", "Kim Yo Jong"} <= named
    kim = korea.actor("Kim Jong-un")
    assert kim is not None and kim.name == "Kim Jong Un"
    assert "Kim" in kim.ambiguous and "Kim" in kim.aliases


def test_roles_count_only_within_their_dates(korea: Pack) -> None:
    obama = korea.actor("Barack Obama")
    assert obama is not None
    assert "president" in obama.roles_on(date(2016, 3, 31))
    assert obama.roles_on(date(2017, 6, 1)) == ()
    biden = korea.actor("Joe Biden")
    assert biden is not None and biden.roles_on(date(2016, 1, 1)) == ("vice president",)


def test_dateline_zone_ignores_case_and_trailing_country(korea: Pack) -> None:
    for dateline in ("SEOUL", "Seoul", "seoul", "SEOUL, South Korea"):
        assert korea.dateline_tz(dateline) == "Asia/Seoul", dateline
    assert korea.dateline_tz("WASHINGTON") == "America/New_York"
    assert korea.dateline_tz("UNITED NATIONS") == "America/New_York"
    assert korea.dateline_tz("ATLANTIS") is None


def test_system_gives_irbm_while_the_mid_range_phrase_alone_says_mrbm(korea: Pack) -> None:
    system = korea.weapon("KN-17")
    assert system is not None and (system.name, system.classes) == ("Hwasong-12", ("IRBM",))
    by_class = {t.weapon_class: t.phrases for t in korea.weapon_classes}
    assert "mid-range ballistic missile" in by_class["MRBM"]
    assert set(by_class) == set(WEAPON_CLASSES)


def test_outlets_and_places_resolve_by_alias(korea: Pack) -> None:
    kcna = korea.outlet("Korean Central News Agency")
    assert kcna is not None and (kcna.name, kcna.country, kcna.state_media) == ("KCNA", "PRK", True)
    sohae = korea.place("Tongchang-ri")
    assert sohae is not None and sohae.name == "Sohae" and sohae.kind == "launch_site"


def _looks_like_a_name(text: str) -> bool:
    return (
        not text.startswith("The ") and re.fullmatch(r"(?:[A-Z][\w.-]*\s?){2,4}", text) is not None
    )


def test_korea_pack_knows_every_code_person_weapon_and_channel_of_the_real_gold(
    korea: Pack,
) -> None:
    golds = sorted(REAL.glob("*.gold.yaml")) if REAL.is_dir() else []
    if not golds:
        pytest.skip(f"no gold files in {REAL}")
    unknown: list[str] = []
    for path in golds:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        for event in gold.get("events") or []:
            codes = [event.get("actor"), event.get("target")]
            unknown += [c for c in codes if c and korea.actor(c) is None]
            people = [p for p in event.get("participants") or [] if _looks_like_a_name(p)]
            unknown += [p for p in people if korea.actor(p) is None]
            weapon = event.get("weapon")
            system = korea.weapon(weapon) if weapon else None
            if weapon and (system is None or system.name != weapon):
                unknown.append(weapon)
            classes = event.get("weapon_class") or []
            for c in [classes] if isinstance(classes, str) else classes:
                if c not in WEAPON_CLASSES:
                    unknown.append(c)
        for quote in gold.get("quotes") or []:
            if korea.actor(quote["speaker_actor"]) is None:
                unknown.append(quote["speaker_actor"])
            speaker = quote["speaker"]
            if _looks_like_a_name(speaker) and not (korea.actor(speaker) or korea.outlet(speaker)):
                unknown.append(speaker)
            channel = quote.get("channel")
            if channel and korea.outlet(channel) is None:
                unknown.append(channel)
    assert unknown == []


# --- the sha256 stamp ---------------------------------------------------------------------------


def test_sha256_is_stable_across_loads_and_copies(tmp_path: Path, korea: Pack) -> None:
    copy = shutil.copytree(KOREA, tmp_path / "korea")
    assert korea.sha256 == pack_sha256(KOREA) == pack_sha256(copy)
    assert load_pack(copy).sha256 == korea.sha256
    assert re.fullmatch(r"[0-9a-f]{64}", korea.sha256)


def test_sha256_changes_when_a_file_changes(tmp_path: Path, korea: Pack) -> None:
    copy = shutil.copytree(KOREA, tmp_path / "korea")
    with (copy / "weapons.yaml").open("a", encoding="utf-8") as f:
        f.write("# one more comment\n")
    assert pack_sha256(copy) != korea.sha256
    assert load_pack(copy).sha256 == pack_sha256(copy)


def test_sha256_counts_new_files_but_not_hidden_ones(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", minimal_files())
    before = pack_sha256(root)
    (root / ".actors.yaml.swp").write_bytes(b"editor state")
    assert pack_sha256(root) == before
    (root / "README.md").write_text("notes\n", encoding="utf-8")
    assert pack_sha256(root) != before


def test_sha256_changes_when_bytes_move_between_files(tmp_path: Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.yaml").write_text("ab", encoding="utf-8")
    (a / "y.yaml").write_text("c", encoding="utf-8")
    (b / "x.yaml").write_text("a", encoding="utf-8")
    (b / "y.yaml").write_text("bc", encoding="utf-8")
    assert pack_sha256(a) != pack_sha256(b)


# --- a pack that loads, and how a bad one fails ---------------------------------------------------


def test_minimal_pack_loads_with_name_added_to_aliases(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "pack", minimal_files()))
    assert pack.name == "tiny"
    state = pack.actor("AAA")
    assert state is not None and state.aliases == ("Avaland", "Ava City")
    assert pack.weapons[0].aliases == ("Test-1", "T-1")
    assert pack.places[0].lat == 10.5
    assert pack.dateline_tz("Ava City") == "Asia/Seoul"


def test_missing_file_is_w302_naming_the_file(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", minimal_files())
    (root / "weapons.yaml").unlink()
    err = load_error(root)
    assert err.code == "W302"
    assert "weapons.yaml" in str(err)


def test_path_that_is_not_a_folder_is_w301(tmp_path: Path) -> None:
    err = load_error(tmp_path / "nowhere")
    assert err.code == "W301"
    assert "not a folder" in str(err)


def test_unknown_weapon_class_is_w301_naming_file_entry_and_key(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: f["weapons.yaml"]["systems"][0].update(classes=["ABM"]))
    assert err.code == "W301"
    message = str(err)
    assert "weapons.yaml" in message
    assert "system 1 (Test-1)" in message
    assert "'classes'" in message and "'ABM'" in message


def test_bad_dateline_zone_is_w301_naming_places(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: f["places.yaml"].update(datelines={"AVA CITY": "Asia/Sole"}))
    assert err.code == "W301"
    assert "places.yaml" in str(err) and "Asia/Sole" in str(err)


def test_bad_default_zone_is_w301_naming_pack_yaml(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: f["pack.yaml"].update(default_tz="Mars/Olympus"))
    assert err.code == "W301"
    assert "pack.yaml" in str(err) and "default_tz" in str(err)


def test_dateline_city_must_be_written_in_capitals(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: f["places.yaml"].update(datelines={"Ava City": "UTC"}))
    assert "capitals" in str(err)


def _share_alias(files: dict[str, Any], ambiguous: bool) -> None:
    actors = files["actors.yaml"]["actors"]
    actors.append({"code": "AAA", "name": "Bo Lee", "kind": "person", "aliases": ["Bo Lee"]})
    for person in actors[1:]:
        person["aliases"].append({"alias": "Lee", "ambiguous": ambiguous})


def test_alias_naming_two_actors_is_w301(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: _share_alias(f, ambiguous=False))
    assert err.code == "W301"
    assert "actors.yaml" in str(err) and "'Lee'" in str(err) and "Ada Lee" in str(err)


def test_alias_may_name_two_actors_when_both_mark_it_ambiguous(tmp_path: Path) -> None:
    files = minimal_files()
    _share_alias(files, ambiguous=True)
    pack = load_pack(write_pack(tmp_path / "pack", files))
    assert pack.actor("Lee") is None
    assert [a.name for a in pack.actors_named("Lee")] == ["Ada Lee", "Bo Lee"]


def test_name_may_carry_one_label_only(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: f["places.yaml"]["places"][0].update(aliases=["Ava City"]))
    assert err.code == "W301"
    assert "places.yaml" in str(err) and "actor Avaland" in str(err)


def test_person_code_must_be_defined_by_a_state_or_organisation(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: f["actors.yaml"]["actors"][1].update(code="ZZZ"))
    assert "actors.yaml" in str(err) and "'ZZZ'" in str(err)


def test_unknown_actor_kind_is_w301(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: f["actors.yaml"]["actors"][1].update(kind="persn"))
    assert "'kind'" in str(err) and "state, organisation, person" in str(err)


def test_role_date_that_does_not_parse_is_w301(tmp_path: Path) -> None:
    role = {"role": "president", "from": "next spring"}
    err = broken(tmp_path, lambda f: f["actors.yaml"]["actors"][1].update(roles=[role]))
    assert "actors.yaml" in str(err) and "'from'" in str(err) and "next spring" in str(err)


def test_role_that_ends_before_it_starts_is_w301(tmp_path: Path) -> None:
    role = {"role": "president", "from": "2019-01-01", "to": "2018-01-01"}
    err = broken(tmp_path, lambda f: f["actors.yaml"]["actors"][1].update(roles=[role]))
    assert "'to'" in str(err)


def test_event_types_must_be_exactly_the_gold_list(tmp_path: Path) -> None:
    def swap(files: dict[str, Any]) -> None:
        types = files["ontology.yaml"]["event_types"]
        types["parade"] = types.pop("aid")

    message = str(broken(tmp_path, swap))
    assert "missing: aid" in message and "unknown: parade" in message


def test_forums_give_their_two_principal_parties_by_any_name(tmp_path: Path) -> None:
    files = minimal_files()
    files["actors.yaml"]["actors"].append({"code": "BBB", "name": "Bolandia", "kind": "state"})
    files["ontology.yaml"]["forums"] = [
        {"name": "Three Seas Talks", "aliases": ["tri-sea talks"], "parties": ["AAA", "BBB"]}]
    pack = load_pack(write_pack(tmp_path / "pack", files))
    assert dict(pack.forums) == {"three seas talks": ("AAA", "BBB"),
                                 "tri-sea talks": ("AAA", "BBB")}
    assert pickle.loads(pickle.dumps(pack)).forums == pack.forums
    assert dict(load_pack(write_pack(tmp_path / "bare", minimal_files())).forums) == {}


@pytest.mark.parametrize(("parties", "problem"), [
    (["AAA"], "two different principal parties"),
    (["AAA", "AAA"], "two different principal parties"),
    (["AAA", "ZZZ"], "'ZZZ' is no actor code"),
])
def test_forum_needs_two_known_parties(tmp_path: Path, parties: list[str], problem: str) -> None:
    err = broken(tmp_path, lambda f: f["ontology.yaml"].update(
        forums=[{"name": "Three Seas Talks", "parties": parties}]))
    assert "ontology.yaml" in str(err) and "forum 1" in str(err) and problem in str(err)


def test_conflicts_give_their_sides_and_end_by_any_name(tmp_path: Path) -> None:
    files = minimal_files()
    files["actors.yaml"]["actors"].append({"code": "BBB", "name": "Bolandia", "kind": "state"})
    files["ontology.yaml"]["conflicts"] = [
        {"name": "Border War", "aliases": ["Ava-Bolandia War"], "sides": [["AAA"], ["BBB"]],
         "ended": "1977-03-01"}]
    pack = load_pack(write_pack(tmp_path / "pack", files))
    war = pack.conflicts["ava-bolandia war"]
    assert (war.name, war.sides, war.ended) == ("Border War", (("AAA",), ("BBB",)),
                                               date(1977, 3, 1))
    assert pack.conflicts["border war"] == war
    assert pickle.loads(pickle.dumps(pack)).conflicts == pack.conflicts


@pytest.mark.parametrize(("change", "problem"), [
    ({"sides": [["AAA"]]}, "must be two lists"),
    ({"sides": [["AAA"], ["AAA"]]}, "no code on both"),
    ({"sides": [["AAA"], ["ZZZ"]]}, "'ZZZ' is no actor code"),
    ({"ended": "March 1977"}, "not a date"),
])
def test_conflict_needs_two_sides_of_known_parties(
    tmp_path: Path, change: dict[str, Any], problem: str
) -> None:
    conflict = {"name": "Border War", "sides": [["AAA"], ["BBB"]], **change}

    def add(files: dict[str, Any]) -> None:
        files["actors.yaml"]["actors"].append({"code": "BBB", "name": "Bolandia",
                                               "kind": "state"})
        files["ontology.yaml"]["conflicts"] = [conflict]

    err = broken(tmp_path, add)
    assert "ontology.yaml" in str(err) and "conflict 1" in str(err) and problem in str(err)


def test_verb_objects_must_name_the_types_own_verbs_and_lemmas(tmp_path: Path) -> None:
    def add(objects: object) -> Callable[[dict[str, Any]], None]:
        return lambda f: f["ontology.yaml"]["event_types"]["aid"].update(verb_objects=objects)

    err = broken(tmp_path, add({"sell": ["arms"]}))
    assert "event type aid" in str(err) and "'sell' is not one of this type's verbs" in str(err)
    verb = minimal_files()["ontology.yaml"]["event_types"]["aid"]["verbs"][0]
    err = broken(tmp_path, add({verb: ["Arms"]}))
    assert "lower-case lemmas" in str(err)
    err = broken(tmp_path, add([verb]))
    assert "must be a mapping" in str(err)


def test_unknown_plover_type_is_w301(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: f["ontology.yaml"]["event_types"]["aid"].update(plover="HELP"))
    assert "event type aid" in str(err) and "'plover'" in str(err)


def test_unquoted_yaml_words_that_become_booleans_or_numbers_are_refused(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", minimal_files())
    modality = (root / "modality.yaml").read_text(encoding="utf-8")
    (root / "modality.yaml").write_text(
        modality.replace("negated:\n- maybe", "negated: [no]"), encoding="utf-8"
    )
    assert "quote it" in str(load_error(root))
    root = write_pack(tmp_path / "pack", minimal_files())
    ontology = (root / "ontology.yaml").read_text(encoding="utf-8")
    (root / "ontology.yaml").write_text(
        ontology.replace("cameo: '010'", "cameo: 010", 1), encoding="utf-8"
    )
    assert "'cameo'" in str(load_error(root))


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", minimal_files())
    with (root / "places.yaml").open("a", encoding="utf-8") as f:
        f.write("datelines: {}\n")
    err = load_error(root)
    assert "places.yaml" in str(err) and "duplicate key" in str(err)


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    err = broken(tmp_path, lambda f: f["outlets.yaml"]["outlets"][0].update(contry="AAA"))
    assert "outlets.yaml" in str(err) and "'contry'" in str(err)


# --- the loaded pack ----------------------------------------------------------------------------


def test_pack_cannot_be_changed(korea: Pack) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        korea.name = "iran"  # type: ignore[misc]
    with pytest.raises(TypeError):
        korea.datelines["ATLANTIS"] = "UTC"  # type: ignore[index]
    with pytest.raises(TypeError):
        korea.event_types["statement"].stances["like"] = "praise"  # type: ignore[index]


def test_pack_survives_pickling_for_workers(korea: Pack) -> None:
    copy = pickle.loads(pickle.dumps(korea))
    assert copy == korea and hash(copy) == hash(korea)
    assert copy.dateline_tz("Seoul") == "Asia/Seoul"
    actor = copy.actor("Pyongyang")
    assert actor is not None and actor.code == "PRK"
    assert copy.event_types["statement"].stances == korea.event_types["statement"].stances
    assert (copy.event_types["military_action"].verb_objects
            == korea.event_types["military_action"].verb_objects != {})


def test_domain_pack_doc_documents_every_file_and_fixed_value() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "DOMAIN_PACK.md").read_text("utf-8")
    for name in PACK_FILES:
        assert f"## {name}" in doc, name
    for value in (
        *WEAPON_CLASSES,
        *PLACE_KINDS,
        *PLOVER_TYPES,
        *MODALITY_REQUIRED,
        *MODALITY_OPTIONAL,
    ):
        assert f"`{value}`" in doc, value
