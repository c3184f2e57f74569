"""The overview figures (a real map and a chart from the shipped data) and series segments in line charts."""

from __future__ import annotations

from lsg_analysis.data import processed, series
from lsg_analysis.outputs.overview import write_overview
from lsg_analysis.outputs.plots import line_chart, series_segments


def test_overview_writes_a_map_and_a_chart(tmp_path):
    written = write_overview(tmp_path)
    assert sorted(p.name for p in written) == ["grp_per_capita_map.png", "poverty_rate_by_oblast.png"]
    for p in written:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000


def test_lines_are_not_joined_across_breaks():
    breaks = series.read_breaks()
    osh = processed.load_indicators("poverty_rate", codes="KG-O")  # Osh oblast includes Osh city until 2012
    seg = series_segments(osh, breaks).groupby(osh["year"]).first()
    assert seg[2012] != seg[2013] and seg[2010] == seg[2012] and seg[2013] == seg[2022]
    pc = processed.load_indicators("grp_per_capita", codes="KG-B")  # SNA 2008 in 2019, population vintage 2021
    seg = series_segments(pc, breaks).groupby(pc["year"]).first()
    assert seg[2018] != seg[2019] != seg[2021] and seg[2012] == seg[2018]
    fig = line_chart(pc, breaks=breaks, title="t")
    assert len(fig.axes[0].lines) >= 3
