"""Consultation register: schema rules, loader, indicators (hand-computed), template round-trip, shipped data."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from lsg_analysis.analysis import consultations as c
from lsg_analysis.cli import main
from lsg_analysis.core.errors import LsgError
from lsg_analysis.core.paths import RAW
from lsg_analysis.analysis.register_schema import fields, parse_partial_date

FIELDS = [f.name for f in fields()]
ENUMS = {f.name: f.allowed for f in fields() if f.type == "enum"}


def field_allowed(name: str) -> tuple[str, ...]:
    return ENUMS.get(name, ())


INPUT = [f.name for f in fields() if f.required != "derived"]
CONSULT = RAW / "consultations"


def row(i: int = 1, **kw: str) -> dict[str, str]:
    """A valid full-schema row (everything not known = unknown / empty)."""
    r = dict.fromkeys(INPUT, "")
    r.update(
        draft_id=f"KG-2023-MOJ-{i:03d}",
        title=f"Draft {i}",
        title_lang="ru",
        act_type="law",
        drafting_body="Ministry of Justice",
        initiator_type="ministry_agency",
        lsg_competence_area="local_budget_finance",
        lsg_relevance_basis="art. 5 changes local budgets",
        published_on_portal="unknown",
        publication_channel="unknown",
        sent_to_lsg_bodies="unknown",
        sent_to_lsg_association="unknown",
        sent_to_state_lsg_agency="unknown",
        feedback_published="unknown",
        impact_analysis_done="unknown",
        impact_on_lsg_assessed="unknown",
        consultation_stage="unknown",
        lsg_in_working_group="unknown",
        final_act_adopted="pending",
        source_url="https://example.org/d",
        source_type="media",
        coder="AB",
        coded_on="2026-11-20",
        verification_status="single_coded",
    )
    r.update(kw)
    return r


SENT = dict(
    sent_to_lsg_bodies="yes", n_lsg_bodies_sent="2", date_sent_to_lsg="2023-01-10", lsg_response_received="unknown"
)
ADOPTED = dict(
    final_act_adopted="yes",
    date_adopted="2023-06-01",
    final_act_number="No. 12",
    final_act_reflects_lsg_position="not_applicable",
    ex_post_review_done="not_yet_due",
)


def write(tmp_path, rows, name="reg.csv", columns=None):
    path = tmp_path / name
    cols = columns or list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    return path


# ------------------------------------------------------------------ Wilson


@pytest.mark.parametrize(
    "k,n,lo,hi",
    [
        # Newcombe R.G. (1998) Two-sided confidence intervals for the single proportion, Stat Med 17:857-872,
        # table I, method 3 (Wilson score without continuity correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # by hand: p = .5, n = 10: centre .5, half = 1.96*sqrt(.025 + 3.8415/400)/1.38415 = .2634
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_wilson_matches_published_values(k, n, lo, hi):
    got = c.wilson_interval(k, n)
    assert got == pytest.approx((lo, hi), abs=5e-5)


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_estimate_and_is_symmetric(kn):
    k, n = kn
    lo, hi = c.wilson_interval(k, n)
    assert 0 <= lo <= k / n <= hi <= 1
    lo2, hi2 = c.wilson_interval(n - k, n)
    assert (lo, hi) == pytest.approx((1 - hi2, 1 - lo2), abs=1e-12)


def test_wilson_empty_is_nan():
    assert all(math.isnan(x) for x in c.wilson_interval(0, 0))


# ------------------------------------------------------------------ hand-made register and hand-computed rates


def hand_register() -> list[dict[str, str]]:
    """24 state drafts + 2 LSG-own drafts; every figure in the test below is counted by hand from this table."""
    days = [10, 15, 20, 25, 30, 30, 31, 14, 16, 45, 60, 5]
    rows = []
    for i in range(24):
        r = row(i + 1)
        if i < 6:  # LSG bodies consulted
            r.update(SENT, consultation_stage="early" if i < 2 else "draft")
            r["sent_to_lsg_association"] = "yes" if i == 5 else "unknown"
            if i == 5:
                r["lsg_association_name"] = "union_of_lsg_kr"
        elif i < 12:  # explicitly not consulted
            r.update(
                sent_to_lsg_bodies="no",
                sent_to_lsg_association="no",
                lsg_in_working_group="no",
                consultation_stage="none",
            )
        elif i == 12:  # LSG in the working group only
            r.update(lsg_in_working_group="yes", consultation_stage="early")
        if i < 12:
            start = dt.date(2023, 3, 1)
            r.update(
                public_discussion_start=start.isoformat(),
                public_discussion_end=(start + dt.timedelta(days=days[i])).isoformat(),
            )
        if i < 3:
            r.update(
                published_on_portal="yes",
                publication_channel="koomtalkuu",
                portal_draft_id=f"p-{i}",
                date_first_published="2023-02-20",
            )
        elif i < 9:
            r.update(published_on_portal="no", publication_channel="none")
        elif i < 11:
            r.update(published_on_portal="no", publication_channel="ministry_site", date_first_published="2023-02-25")
        rows.append(r)
    for j in (1, 2):  # LSG bodies' own drafts, "consulted": must not count
        rows.append(row(100 + j, act_type="local_council_decision", **SENT))
    return rows


@pytest.fixture
def hand(tmp_path):
    return c.load_register(write(tmp_path, hand_register()))


def get(rates, ind, group="all"):
    return rates.set_index(["indicator", "group"]).loc[(ind, group)]


def test_hand_computed_rates(hand):
    assert hand.attrs["register_sampling"] == "unknown"  # no sidecar, no metadata sheet: not declared
    rates = c.usage_rates(hand)
    i02 = get(rates, "I02")  # 6 yes, 6 no, 12 unknown -> 6/12; unknown share exactly 0.5 is not suppressed
    assert (i02.n_eligible, i02.n_known, i02.n) == (24, 12, 12)
    assert i02.unknown_share == 0.5 and not i02.suppressed and i02.value == 0.5
    # not declared a sample: no sampling interval; bounds 6/24 (unknown = no) .. 18/24 (unknown = yes)
    assert math.isnan(i02.ci_low) and math.isnan(i02.ci_high) and "small n" not in i02.note
    assert (i02.n_unknown, i02.bound_low, i02.bound_high) == (12, 6 / 24, 18 / 24)
    assert "no sampling interval" in i02.note and "register_sampling = unknown" in i02.note
    sampled = get(c.usage_rates(hand, sampling="random_sample"), "I02")
    # by hand: p=.5, n=12: half = 1.96*sqrt(.25/12 + 3.84146/576)/1.320127 = .24622
    assert (sampled.ci_low, sampled.ci_high) == pytest.approx((0.25378, 0.74622), abs=1e-4)
    assert "small n" in sampled.note and "declared a random sample" in sampled.note
    assert (sampled.bound_low, sampled.bound_high) == (6 / 24, 18 / 24)
    with pytest.raises(LsgError, match="sampling"):
        c.usage_rates(hand, sampling="convenience")
    i03 = get(rates, "I03")  # 1 yes + 6 no known -> n_known 7 < 10
    assert i03.suppressed and math.isnan(i03.value) and i03.n_known == 7 and "insufficient data" in i03.note
    i01 = get(rates, "I01")  # known: 3 portal + 6 none + 2 ministry site = 11 >= 10, but 13/24 unknown > 0.5
    assert i01.n_known == 11 and i01.suppressed and "unknown share" in i01.note
    assert get(rates, "I01b").n_known == 5  # only the 5 drafts dated (2023) certainly after 2020-08-17
    i03b = get(rates, "I03b")  # 7 with some LSG involvement, 6 with all three "no"
    assert (i03b.n_known, i03b.value) == (13, pytest.approx(7 / 13)) and not i03b.suppressed
    p01 = get(rates, "P01")  # public record: 6 sent + 1 working group, over all 24 state drafts
    assert (p01.n, p01.value, p01.unknown_share) == (24, pytest.approx(7 / 24), 0.0)
    # bounds: 7 involved, 6 with all three "no", 11 undetermined -> 7/24 .. 18/24
    assert (p01.n_unknown, p01.bound_low, p01.bound_high) == (11, 7 / 24, 18 / 24)
    sampled = get(c.usage_rates(hand, sampling="census"), "P01")
    assert (sampled.ci_low, sampled.ci_high) == pytest.approx(c.wilson_interval(7, 24))
    assert get(rates, "I04b").value == 22.5  # median of 5,10,14,15,16,20 | 25,30,30,31,45,60
    assert get(rates, "I04_scenario_15d").value == pytest.approx(9 / 12)
    assert get(rates, "I04_scenario_30d").value == pytest.approx(5 / 12)
    assert "SCENARIO" in get(rates, "I04_scenario_15d")["name"]
    i04 = get(rates, "I04")
    assert i04.suppressed and "not verified" in i04.note
    i05all = get(rates, "I05_all")  # early: rows 1, 2 and the working-group row, of 13 with a known stage
    assert (i05all.n_known, i05all.value) == (13, pytest.approx(3 / 13))
    assert get(rates, "I05").suppressed  # 7 consulted drafts only
    assert "2 LSG-own draft(s)" in p01.note
    assert "not a random sample" not in p01.note  # a user's register, not the coded one
    assert get(rates, "C01").suppressed and "not computed" in get(rates, "C01").note


def test_rates_by_group_keep_unknown_as_its_own_group(hand):
    rates = c.usage_rates(hand, by="year")
    assert set(rates["group"]) == {"2023", "unknown"}
    assert get(rates, "I02", "2023").n_eligible == 5 and get(rates, "I02", "2023").suppressed
    assert get(rates, "I02", "unknown").n_eligible == 19
    with pytest.raises(LsgError, match="by"):
        c.usage_rates(hand, by="colour")


def test_unknown_is_never_counted_as_no(hand, tmp_path):
    """The 12 unknowns leave the denominator (6/12); were they counted as 'no' the rate would be 6/24."""
    rows = hand_register()
    for r in rows[12:24]:
        r["sent_to_lsg_bodies"] = "no"
    as_no = c.load_register(write(tmp_path, rows, name="as_no.csv"))
    assert get(c.usage_rates(as_no), "I02").value == pytest.approx(6 / 24)
    assert get(c.usage_rates(hand), "I02").value == 0.5


def test_proposal_uptake_pooled_and_mean(tmp_path):
    made = [1, 2, 3, 4, 0, 1, 2, 3, 4, 0]
    accepted = [1, 1, 1, 2, 0, 0, 2, 3, 1, 0]
    rows = [
        row(
            i + 1,
            **{
                **SENT,
                "lsg_response_received": "yes",
                "date_lsg_response": "2023-02-01",
                "proposals_made": str(m),
                "proposals_accepted": str(a),
            },
        )
        for i, (m, a) in enumerate(zip(made, accepted, strict=True))
    ]
    rates = c.usage_rates(c.load_register(write(tmp_path, rows)), sampling="random_sample")
    pooled = get(rates, "I07")  # 11 of 20 proposals
    assert (pooled.n, pooled.value) == (10, pytest.approx(11 / 20))
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx(c.wilson_interval(11, 20))
    # per-draft ratios of the 8 drafts with proposals: 1, 1/2, 1/3, 1/2, 0, 1, 1, 1/4
    assert get(rates, "I07_mean").value == pytest.approx((1 + 0.5 + 1 / 3 + 0.5 + 0 + 1 + 1 + 0.25) / 8)
    assert get(rates, "I06").value == 1.0  # all 10 consulted drafts answered


def test_composite_uses_available_categories_only(tmp_path):
    """12 drafts, all fields known: every category computable; C01 = sum of category means."""
    rows = []
    for i in range(12):
        yes = i < 6
        rows.append(
            row(
                i + 1,
                **(SENT if yes else dict(sent_to_lsg_bodies="no")),
                sent_to_lsg_association="yes" if i < 3 else "no",
                lsg_association_name="union_of_lsg_kr" if i < 3 else "",
                lsg_in_working_group="no",
                consultation_stage="early" if i < 4 else ("draft" if yes else "none"),
                impact_on_lsg_assessed="yes" if i < 6 else "no",
                verification_status="double_coded_agree" if i < 9 else "single_coded",
                published_on_portal="no",
                publication_channel="none",
                feedback_published="no",
            )
        )
    reg = c.load_register(write(tmp_path, rows))
    rates = c.usage_rates(reg)
    a = (6 / 12 + 3 / 12) / 2  # I02, I03
    assert get(rates, "C01_A").value == pytest.approx(a)
    # B: I04 not computed (no legal minimum), I05 = 4/6 early among consulted but n_known 6 < 10 -> only I10b
    assert get(rates, "C01_B").suppressed  # 1 of 3 available < half
    assert get(rates, "C01_C").value == pytest.approx(9 / 12)  # Q01 only (I11: none adopted)
    assert get(rates, "C01").suppressed and "B" in get(rates, "C01").note


def test_composite_computed_by_hand(tmp_path):
    """12 consulted drafts. A = mean(I02 12/12, I03 3/12); B = mean(I05 4/12, I10b 6/12), I04 dropped (no legal
    minimum); C = Q01 9/12, I11 dropped (nothing adopted); D = mean(I01 0/12, I09 (4 + 0.5*4)/12)."""
    rows = [
        row(
            i + 1,
            **SENT,
            sent_to_lsg_association="yes" if i < 3 else "no",
            lsg_association_name="union_of_lsg_kr" if i < 3 else "",
            consultation_stage="early" if i < 4 else "draft",
            impact_on_lsg_assessed="yes" if i < 6 else "no",
            verification_status="double_coded_resolved" if i < 9 else "single_coded",
            published_on_portal="no",
            publication_channel="none",
            feedback_published=("yes", "partly", "no")[i % 3],
        )
        for i in range(12)
    ]
    rates = c.usage_rates(c.load_register(write(tmp_path, rows)))
    cats = dict(A=(1 + 3 / 12) / 2, B=(4 / 12 + 6 / 12) / 2, C=9 / 12, D=(0 + 6 / 12) / 2)
    for k, v in cats.items():
        assert get(rates, f"C01_{k}").value == pytest.approx(v), k
    c01 = get(rates, "C01")
    assert c01.value == pytest.approx(sum(cats.values())) and not c01.suppressed
    assert "unavailable: I04" in get(rates, "C01_B").note


# ------------------------------------------------------------------ every rule broken once


BAD = [
    ("title_lang", dict(title_lang="kg")),
    ("title", dict(title="")),
    ("act_type", dict(act_type="lwa")),  # was " law": now accepted ignoring spacing (test_register_input.py)
    ("draft_id", dict(draft_id="KG-23-x")),
    ("coded_on", dict(coded_on="2026-13-01")),
    ("coded_on", dict(coded_on="2026-11")),  # partial dates only in the coded registers
    ("n_lsg_bodies_sent", dict(SENT, n_lsg_bodies_sent="two")),
    ("title", dict(title="bell\x07")),
    ("source_url", dict(source_url="www.example.org")),
    ("evidence_urls_other", dict(evidence_urls_other="https://a.org | ftp:/x")),
    (
        "portal_draft_id",
        dict(published_on_portal="yes", publication_channel="koomtalkuu", date_first_published="2023-01-01"),
    ),
    (
        "publication_channel",
        dict(
            published_on_portal="yes",
            publication_channel="ministry_site",
            portal_draft_id="p",
            date_first_published="2023-01-01",
        ),
    ),
    ("date_first_published", dict(published_on_portal="no", publication_channel="ministry_site")),
    ("public_discussion_end", dict(public_discussion_start="2023-03-01")),
    ("public_discussion_end", dict(public_discussion_start="2023-03-10", public_discussion_end="2023-03-01")),
    (
        "public_discussion_start",
        dict(
            date_first_published="2023-03-05",
            public_discussion_start="2023-03-01",
            public_discussion_end="2023-03-20",
            published_on_portal="no",
            publication_channel="ministry_site",
        ),
    ),
    ("date_adopted", dict(ADOPTED, public_discussion_start="2023-05-20", public_discussion_end="2023-06-10")),
    ("n_lsg_bodies_sent", dict(SENT, n_lsg_bodies_sent="")),
    ("n_lsg_bodies_sent", dict(SENT, n_lsg_bodies_sent="0")),
    ("n_lsg_bodies_sent", dict(sent_to_lsg_bodies="no", n_lsg_bodies_sent="3")),
    ("date_sent_to_lsg", dict(SENT, date_sent_to_lsg="")),
    ("date_lsg_response", dict(SENT, lsg_response_received="yes", proposals_made="1", proposals_accepted="0")),
    ("date_lsg_response", dict(SENT, date_lsg_response="2023-02-01")),
    (
        "date_lsg_response",
        dict(
            SENT,
            lsg_response_received="yes",
            date_lsg_response="2023-01-05",
            proposals_made="1",
            proposals_accepted="0",
        ),
    ),
    ("lsg_response_deadline", dict(SENT, lsg_response_deadline="2023-01-01")),
    ("proposals_made", dict(SENT, lsg_response_received="yes", date_lsg_response="2023-02-01")),
    ("proposals_made", dict(SENT, lsg_response_received="no", proposals_made="2", proposals_accepted="0")),
    ("proposals_accepted", dict(SENT, lsg_response_received="yes", date_lsg_response="2023-02-01", proposals_made="2")),
    (
        "proposals_accepted",
        dict(
            SENT,
            lsg_response_received="yes",
            date_lsg_response="2023-02-01",
            proposals_made="2",
            proposals_accepted="3",
        ),
    ),
    ("date_adopted", dict(ADOPTED, date_adopted="")),
    ("final_act_number", dict(ADOPTED, final_act_number="")),
    ("date_adopted", dict(final_act_adopted="withdrawn", date_adopted="2023-06-01")),
    ("final_act_reflects_lsg_position", dict(ADOPTED, final_act_reflects_lsg_position="yes")),
    (
        "consultation_stage",
        dict(
            sent_to_lsg_bodies="no", sent_to_lsg_association="no", lsg_in_working_group="no", consultation_stage="early"
        ),
    ),
    ("consultation_stage", dict(SENT, consultation_stage="none")),
    (
        "coded_on",
        dict(date_first_published="2027-01-01", published_on_portal="no", publication_channel="ministry_site"),
    ),
    ("date_adopted", dict(SENT, **{**ADOPTED, "date_adopted": "2023-01-01"})),
    (
        "date_adopted",
        dict(ADOPTED, date_first_published="2023-07-01", published_on_portal="no", publication_channel="ministry_site"),
    ),
    (
        "date_adopted",
        dict(
            SENT,
            **{
                **ADOPTED,
                "lsg_response_received": "yes",
                "date_lsg_response": "2023-07-01",
                "proposals_made": "0",
                "proposals_accepted": "0",
            },
        ),
    ),
    (
        "discussion_days",
        dict(public_discussion_start="2023-03-01", public_discussion_end="2023-03-21", discussion_days="30"),
    ),
]


@pytest.mark.parametrize("column,kw", BAD, ids=[f"{col}-{i}" for i, (col, _) in enumerate(BAD)])
def test_each_rule_names_its_cell(tmp_path, column, kw):
    path = write(tmp_path, [row(1), row(2, **kw)], columns=FIELDS)
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    assert f'row 3, column "{column}"' in str(e.value)
    assert isinstance(e.value, ValueError) and isinstance(e.value, LsgError)


def test_valid_rows_pass_every_rule(tmp_path):
    responded = {
        **SENT,
        **ADOPTED,
        "lsg_response_received": "yes",
        "date_lsg_response": "2023-02-01",
        "proposals_made": "3",
        "proposals_accepted": "1",
        "final_act_reflects_lsg_position": "partly",
    }
    rows = [row(1), row(2, **SENT), row(3, **ADOPTED), row(4, **responded)]
    reg = c.load_register(write(tmp_path, rows, columns=FIELDS))
    assert list(reg["draft_id"]) == [r["draft_id"] for r in rows]
    assert reg.loc[3, "proposals_accepted"] == 1 and reg.loc[3, "proposals_made_some"]


def test_all_errors_listed_at_once(tmp_path):
    rows = [row(1), row(2, title_lang="kg", act_type="decree"), row(2, source_url="")]
    with pytest.raises(c.RegisterError) as e:
        c.load_register(write(tmp_path, rows))
    msg = str(e.value)
    assert len(e.value.errors) == 4
    for where in (
        'row 3, column "title_lang"',
        'row 3, column "act_type"',
        'row 4, column "draft_id"',
        'row 4, column "source_url"',
    ):
        assert where in msg
    assert "one of: ky, ru, en, unknown" in msg and "decree" in msg


def test_header_errors(tmp_path):
    r = row(1)
    del r["title"]
    r["titel"] = "x"
    with pytest.raises(c.RegisterError) as e:
        c.load_register(write(tmp_path, [r]))
    assert 'column "title"' in str(e.value) and 'found "titel"' in str(e.value)


def test_trailing_empty_columns_ignored(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(",".join(INPUT) + ",,\n" + ",".join(row(1)[k] for k in INPUT) + ",,\n", encoding="utf-8")
    assert list(c.load_register(path)["draft_id"]) == ["KG-2023-MOJ-001"]
    path.write_text(",".join(INPUT) + ",,\n" + ",".join(row(1)[k] for k in INPUT) + ",,oops\n", encoding="utf-8")
    with pytest.raises(c.RegisterError, match="row 2.*at most 43 cells"):
        c.load_register(path)


def test_file_errors(tmp_path):
    with pytest.raises(c.RegisterError, match="no such file"):
        c.load_register(tmp_path / "missing.csv")
    (tmp_path / "r.txt").write_text("x")
    with pytest.raises(c.RegisterError, match=r"\.csv or \.xlsx"):
        c.load_register(tmp_path / "r.txt")
    (tmp_path / "latin.csv").write_bytes("draft_id\nKG-2023-A-001 \xe9\n".encode("latin-1"))
    with pytest.raises(c.RegisterError, match="UTF-8"):
        c.load_register(tmp_path / "latin.csv")


def test_coded_layout_deviations_visible_and_still_checked(tmp_path):
    raw = read_raw("register_coded.csv")
    new = dict(raw[0], draft_id="KG-2099-test-a", lsg_competence_area="a competence nobody mapped")
    bad = dict(raw[0], draft_id="KG-2099-test-b", date_adopted="21-07", proposals_made="many")
    reg = c.load_register(write(tmp_path, [raw[0], new], columns=list(raw[0])))
    assert reg.loc[1, "lsg_competence_area"] == "unknown"
    assert reg.loc[1, "lsg_competence_area_original"] == "a competence nobody mapped"
    assert (reg["register_profile"] == "coded").all() and reg["initiator_type"].eq("unknown").all()
    with pytest.raises(c.RegisterError) as e:
        c.load_register(write(tmp_path, [raw[0], bad], columns=list(raw[0]), name="bad.csv"))
    msg = str(e.value)
    assert 'row 3, column "date_adopted": found "21-07"; expected an ISO date YYYY-MM-DD, YYYY-MM or YYYY' in msg
    assert 'row 3, column "proposals_made": found "many"' in msg


# ------------------------------------------------------------------ hostile text


HOSTILE = [
    "# [x](javascript:alert(1)) *b* $x$ \\ </script><script>alert(1)</script>",
    "=1+1",
    "  leading and trailing spaces  ",
    "line one\nline two",
    "<b>&amp;</b> {{ t }} %s",
]


def test_hostile_titles_kept_literally_csv(tmp_path):
    rows = [row(i + 1, title=t) for i, t in enumerate(HOSTILE)]
    reg = c.load_register(write(tmp_path, rows))
    assert list(reg["title"]) == HOSTILE


def test_control_character_rejected_with_position(tmp_path):
    with pytest.raises(c.RegisterError, match=r'row 2, column "title".*U\+0000 at position 2') as e:
        c.load_register(write(tmp_path, [row(1, title="a\x00b")]))
    assert "\x00" not in str(e.value) and r"a\x00b" in str(e.value)  # shown escaped, never emitted raw


def test_unreadable_cell_reported_once(tmp_path):
    with pytest.raises(c.RegisterError) as e:
        c.load_register(write(tmp_path, [row(1, **{**SENT, "n_lsg_bodies_sent": "two"})]))
    assert len(e.value.errors) == 1 and "whole number" in str(e.value)


def test_hostile_titles_kept_literally_xlsx(tmp_path):
    import openpyxl

    path = c.write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["register"]
    texts = [t for t in HOSTILE if not t.startswith("=")]
    for i, t in enumerate(texts, start=2):
        for col, name in enumerate(FIELDS, start=1):
            v = row(i).get(name, "")
            if v:
                ws.cell(row=i, column=col, value=dt.date.fromisoformat(v) if name == "coded_on" else v)
        ws.cell(row=i, column=FIELDS.index("title") + 1, value=t)
    wb.save(path)
    assert list(c.load_register(path)["title"]) == texts


# ------------------------------------------------------------------ template round-trip


def test_template_round_trip(tmp_path):
    import openpyxl

    path = c.write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["register", "allowed_values", "fields", "about", "metadata"]
    assert list(wb["metadata"].values)[1][:2] == ("register_sampling", "unknown")
    assert c.load_register(path).attrs["register_sampling"] == "unknown"  # read back from the metadata sheet
    ws = wb["register"]
    assert [x.value for x in ws[1]] == FIELDS
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == sum(f.type == "enum" for f in fields())
    info = list(wb["fields"].values)
    assert len(info) == 46 and all(r[7] for r in info[1:])  # a ky description for every field
    values = {
        1: {**row(1, title=HOSTILE[0]), **SENT},
        2: {**row(2), **ADOPTED, "public_comments_count": 7},
    }
    for r, vals in values.items():
        for col, name in enumerate(FIELDS, start=1):
            v = vals.get(name, "")
            f = next(x for x in fields() if x.name == name)
            if v == "":
                continue
            if f.type == "date":
                v = dt.date.fromisoformat(v)
            elif f.type == "int":
                v = int(v)
            ws.cell(row=r + 1, column=col, value=v)
    wb.save(path)
    reg = c.load_register(path)
    assert len(reg) == 2
    for i, vals in enumerate(values.values()):
        for name in INPUT:
            want = vals.get(name, "") or ("unknown" if "unknown" in field_allowed(name) else "")  # blank enum
            got = reg.loc[i, name]
            assert (str(got) if got is not None and got is not pd.NA else "") == str(want), name
    assert reg.loc[0, "date_sent_to_lsg_precision"] == "day"


def test_xlsx_formula_cell_is_refused(tmp_path):
    import openpyxl

    path = c.write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    for col, name in enumerate(FIELDS, start=1):
        v = row(1).get(name, "")
        if v:
            wb["register"].cell(row=2, column=col, value=dt.date.fromisoformat(v) if name == "coded_on" else v)
    wb["register"]["B2"] = "=1+1"
    wb.save(path)
    msg = r'row 2, column "portal_draft_id": found "=1\+1"; expected a typed value'
    with pytest.raises(c.RegisterError, match=msg):
        c.load_register(path)


# ------------------------------------------------------------------ legal parameters


@pytest.mark.parametrize(
    "text,regime",
    [
        ("2019-08-07", "law101_2011"),
        ("2019-08-08", "law101_as_amended_115_2019"),
        ("2021-10-20", "law101_as_amended_115_2019"),
        ("2021-10-21", "law123_2021"),
        ("2021", "unknown"),
        ("2021-10", "unknown"),
        ("2021-11", "law123_2021"),
        ("2010-01-01", "unknown"),
        (None, "unknown"),
    ],
)
def test_legal_regime_by_date(text, regime):
    assert c.legal_regime(parse_partial_date(text) if text else None) == regime


def test_legal_minimum_is_not_invented():
    assert c.legal_min_days(parse_partial_date("2023-03-01")) is None
    assert c.portal_start_date() == dt.date(2020, 8, 17)


# ------------------------------------------------------------------ shipped registers


def read_raw(name):
    with open(CONSULT / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_shipped_registers_load_and_match_readmes():
    reg = c.load_shipped_register()
    raw = read_raw("register_coded.csv") + read_raw("register_coded_2.csv") + read_raw("register_coded_3.csv")
    assert len(reg) == len(raw) == 129
    assert reg["batch"].value_counts().to_dict() == {1: 45, 2: 31, 3: 53}
    assert reg.attrs["register_sampling"] == "not_random"  # declared in each register's sidecar
    own = reg[~reg["state_draft"]]
    assert len(own) == 3 and set(own["act_type"]) == {"local_council_decision"}
    updated = {"KG-2013-law-capital-status", "KG-2023-decree-atr-pilot-aa-cities", "KG-2024-law-local-kenesh-elections"}
    record = [
        r
        for r in raw
        if r["act_type"] != "local_council_decision"
        and ("yes" in (r["sent_to_lsg_bodies"], r["sent_to_lsg_association"]) or r["draft_id"] in updated)
    ]
    # REGISTER_2_README.md: 8 rows coded as consulted; REGISTER_3_README.md: 4 new rows sent_to_lsg_bodies = yes,
    # and the updates make 3 old rows sent_to_lsg_bodies = yes
    assert len(record) == 15 and sum(r in raw[76:] for r in record) == 4
    p01 = get(c.usage_rates(reg), "P01")
    assert (p01.n, p01.value) == (126, pytest.approx(15 / 126))
    # no sampling interval for the coded registers; bounds: no state row has all three involvement fields "no"
    assert math.isnan(p01.ci_low) and (p01.bound_low, p01.bound_high) == (15 / 126, 1.0)
    assert "not a random sample" in p01.note and "no sampling interval" in p01.note
    # original text kept wherever a value was mapped (batches 1-2 free text; batch 3 uses schema values)
    mapped = reg[reg["lsg_competence_area_original"].notna()]
    assert len(mapped) == 76 and set(reg["lsg_competence_area"]) <= set(fields()[7].allowed)
    assert reg.loc[reg["batch"] == 3, "lsg_competence_area"].ne("unknown").all()
    some = reg[reg["proposals_made_original"] == "yes"]
    assert len(some) == 2 + 1 + 5 and some["proposals_made"].isna().all() and some["proposals_made_some"].all()
    assert set(reg["date_first_published_precision"].dropna()) == {"day", "month", "year"}


def test_updates_applied_by_code_dated_and_sourced():
    reg = c.load_shipped_register()
    updates = read_raw("register_3_updates.csv")
    applied = reg.attrs["updates_applied"]
    assert len(applied) == len(updates) == 20 and len({u["draft_id"] for u in applied}) == 7
    assert {u["date"] for u in applied} == {"2026-12-02"} and all(u["source_url"].startswith("http") for u in applied)
    row = reg.set_index("draft_id").loc["KG-2013-law-capital-status"]
    old = next(r for r in read_raw("register_coded.csv") if r["draft_id"] == "KG-2013-law-capital-status")
    assert (old["sent_to_lsg_bodies"], old["date_lsg_response"]) == ("unknown", "2013-06-11")  # raw file unchanged
    assert (row["sent_to_lsg_bodies"], row["date_lsg_response"], row["proposals_accepted_some"]) == (
        "yes",
        "2013-01-30",
        True,
    )
    note = next(u for u in updates if u["draft_id"] == "KG-2013-law-capital-status" and u["field"] == "notes")
    assert row["notes"] == f"{old['notes']} | update 2026-12-02 ({note['source_url']}): {note['value']}"
    assert next(u for u in applied if u["field"] == "date_lsg_response")["old"] == "2013-06-11"
    from lsg_analysis.analysis import consultation_views

    assert "raw:consultations/register_3_updates.csv" in consultation_views.register_sources(reg)  # a source shown
    table = consultation_views.updates_table(reg)
    assert list(table.columns) == ["draft_id", "field", "old", "new", "date", "source_url"] and len(table) == 20


def test_update_of_a_missing_draft_or_a_bad_value_is_one_clear_error(tmp_path):
    raw = read_raw("register_coded.csv")[0]
    path = write(tmp_path, [raw], columns=list(raw))
    (tmp_path / "u.csv").write_text(
        "draft_id,field,value,source_url,source_quote\n"
        f"{raw['draft_id']},sent_to_lsg_bodies,maybe,https://example.org/a,quote\n",
        encoding="utf-8",
    )
    (tmp_path / "u.csv.source.yml").write_text("published: 2026-12-02\n", encoding="utf-8")
    with pytest.raises(LsgError, match="missing"):  # an incomplete sidecar
        c.read_updates(tmp_path / "u.csv")
    meta = yaml.safe_load((CONSULT / "register_3_updates.csv.source.yml").read_text(encoding="utf-8"))
    (tmp_path / "u.csv.source.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    ups = c.read_updates(tmp_path / "u.csv")
    with pytest.raises(c.RegisterError, match='row 2, column "sent_to_lsg_bodies": found "maybe"; expected one of'):
        c.load_register(path, ups)
    (tmp_path / "u.csv").write_text(
        "draft_id,field,value,source_url,source_quote\nKG-1,colour,yes,https://example.org/a,q\n", encoding="utf-8"
    )
    with pytest.raises(LsgError, match='row 2, column "field": found "colour"'):
        c.read_updates(tmp_path / "u.csv")


def test_sampling_declared_in_sidecar_or_xlsx_metadata(tmp_path):
    raw = read_raw("register_coded.csv")[:12]
    path = write(tmp_path, raw, columns=list(raw[0]))
    assert c.load_register(path).attrs["register_sampling"] == "unknown"
    (tmp_path / f"{path.name}.source.yml").write_text("register_sampling: census\n", encoding="utf-8")
    reg = c.load_register(path)
    assert reg.attrs["register_sampling"] == "census"
    p01 = get(c.usage_rates(reg), "P01")
    k = int(p01.value * p01.n)
    assert (p01.ci_low, p01.ci_high) == pytest.approx(c.wilson_interval(k, 12)) and "declared a census" in p01.note
    (tmp_path / f"{path.name}.source.yml").write_text("register_sampling: some\n", encoding="utf-8")
    with pytest.raises(c.RegisterError, match='column "register_sampling": found "some"'):
        c.load_register(path)
    import openpyxl

    xlsx = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "register"
    wb["register"].append(list(raw[0]))
    for r in raw:
        wb["register"].append(list(r.values()))
    wb.create_sheet("metadata").append(["register_sampling", "random_sample"])
    wb.save(xlsx)
    assert c.load_register(xlsx).attrs["register_sampling"] == "random_sample"


def test_c01_does_not_credit_a_category_at_100_percent_by_construction(tmp_path):
    """12 consulted drafts, every one published (as when only published drafts enter a register) and feedback
    unknown: category D would be I01 alone at 100 % -> left out, and said; at 11/12 it is credited."""
    rows = [
        row(
            i + 1,
            **SENT,
            published_on_portal="yes",
            publication_channel="koomtalkuu",
            portal_draft_id=f"P-{i}",
            date_first_published="2023-01-01",
            feedback_published="unknown",
        )
        for i in range(12)
    ]
    d = get(c.usage_rates(c.load_register(write(tmp_path, rows))), "C01_D")
    assert d.suppressed and math.isnan(d.value)
    assert "I01 is its only sub-indicator and is 100 % by construction" in d.note and "not credited" in d.note
    rows[0].update(published_on_portal="no", publication_channel="none", portal_draft_id="", date_first_published="")
    d = get(c.usage_rates(c.load_register(write(tmp_path, rows))), "C01_D")
    assert d.value == pytest.approx(11 / 12) and "by construction" not in d.note


def test_shipped_raw_files_match_their_sidecars():
    for f in (
        "register_coded.csv",
        "register_coded_2.csv",
        "register_coded_3.csv",
        "register_3_updates.csv",
        "quantitative_evidence.csv",
        "quantitative_evidence_2.csv",
        "consultation_register_schema.csv",
    ):
        meta = yaml.safe_load((CONSULT / f"{f}.source.yml").read_text(encoding="utf-8"))
        assert hashlib.sha256((CONSULT / f).read_bytes()).hexdigest() == meta["sha256"]


def test_cli_rates_and_template(tmp_path, capsys):
    assert main(["consult", "template", str(tmp_path / "t.xlsx")]) == 0
    assert main(["consult", "rates", str(CONSULT / "register_coded_2.csv"), "--by", "act_type"]) == 0
    assert "P01" in capsys.readouterr().out
    bad = write(tmp_path, [row(1, title_lang="xx")])
    assert main(["consult", "rates", str(bad)]) == 2
    assert 'column "title_lang"' in capsys.readouterr().err


def test_year_from_source_date_when_draft_dates_unknown(tmp_path):
    raw = read_raw("register_coded.csv")[0]  # every draft date unknown; source_date 2012-02-27
    assert (raw["date_first_published"], raw["date_adopted"], raw["source_date"]) == (
        "unknown",
        "unknown",
        "2012-02-27",
    )
    rows = [
        dict(raw, draft_id="KG-2099-t-a", date_adopted="2019-05", source_date="2012-02-27"),
        dict(raw, draft_id="KG-2099-t-b", source_date="2019-12"),
        dict(raw, draft_id="KG-2099-t-c", source_date="unknown"),
        dict(raw, draft_id="KG-2099-t-d", source_date="2019"),
    ]
    reg = c.load_register(write(tmp_path, rows, columns=list(raw)))
    assert reg["year"].tolist() == ["2019", "2019", "unknown", "2019"]
    assert reg["year_basis"].tolist() == ["draft_date", "source_date", "unknown", "source_date"]
    rates = c.usage_rates(reg, by="year")
    notes = rates.groupby("group")["note"].agg(set)
    assert all(n.endswith("; year from source_date for 2 of 3 draft(s)") for n in notes["2019"])
    assert not any("source_date" in n for n in notes["unknown"])
    assert "source_date" not in " ".join(c.usage_rates(reg)["note"])


def test_shipped_years_from_source_date_leave_overall_rates_alone():
    reg = c.load_shipped_register()
    basis = reg.groupby("year_basis").size().to_dict()
    undated = (reg["date_first_published"].isna() & reg["date_adopted"].isna()).sum()
    dated_source = reg["source_date"].map(lambda s: parse_partial_date(str(s)) is not None)
    assert basis["draft_date"] == len(reg) - undated
    assert (
        basis["source_date"]
        == (dated_source & reg["date_first_published"].isna() & reg["date_adopted"].isna()).sum()
        == 24
    )
    assert basis["unknown"] == 28
    same = reg.assign(year="unknown", year_basis="unknown")
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(c.usage_rates(reg), c.usage_rates(same))
