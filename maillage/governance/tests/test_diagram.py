"""The SVG is valid XML, draws every instance and every link, and carries its text alternative."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from maillage.governance import services
from maillage.governance.diagram import link_sentence, render_svg
from maillage.governance.models import Link

pytestmark = pytest.mark.django_db
NS = "{http://www.w3.org/2000/svg}"


def test_every_instance_and_link_is_drawn_in_valid_xml(model_1):
    svg = ET.fromstring(render_svg(model_1))
    assert svg.tag == f"{NS}svg"
    boxes = {g.get("data-instance") for g in svg.iter(f"{NS}g") if g.get("data-instance")}
    assert boxes == {str(pk) for pk in model_1.instances.values_list("pk", flat=True)}
    lines = {line.get("data-link") for line in svg.iter(f"{NS}line")}
    assert lines == {str(pk) for pk in model_1.links.values_list("pk", flat=True)}
    texts = " ".join(t.text or "" for t in svg.iter(f"{NS}text"))
    for name in model_1.instances.values_list("name", flat=True):
        assert name.split()[0] in texts


def test_the_text_alternative_lists_the_same_links(model_1):
    svg = ET.fromstring(render_svg(model_1, id_prefix="x"))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "x-title x-desc"
    title = svg.find(f"{NS}title").text
    desc = svg.find(f"{NS}desc").text
    assert "4 instances" in title and "2 liens" in title
    for link in model_1.links.all():
        assert link_sentence(link) in desc
    assert "Comité d’antenne rend compte à Comité de coordination" in desc


def test_names_with_markup_are_escaped(model_1):
    services.add_instance(version=model_1, name="Cercle <b>&</b> « x »", kind="circle")
    svg = render_svg(model_1)
    ET.fromstring(svg)
    assert "<b>" not in svg


def test_highlighted_links_and_instances_are_drawn_apart(model_1):
    link = model_1.links.first()
    instance = model_1.instances.first()
    svg = ET.fromstring(
        render_svg(model_1, highlight_links={link.pk}, highlight_instances={instance.pk})
    )
    line = next(x for x in svg.iter(f"{NS}line") if x.get("data-link") == str(link.pk))
    assert line.get("stroke-width") == "4"
    box = next(g for g in svg.iter(f"{NS}g") if g.get("data-instance") == str(instance.pk))
    assert box.find(f"{NS}rect").get("stroke-width") == "4"


def test_a_cycle_still_draws(model_1):
    partners = model_1.instances.get(name="Comité des partenaires")
    antenna = model_1.instances.get(name="Comité d’antenne")
    services.add_link(version=model_1, source=partners, target=antenna, kind=Link.Kind.REPORTS_TO)
    ET.fromstring(render_svg(model_1))
