"""Build the invented development set's seeds and gold from hand-written annotations.

The annotations below are written as text (each span as its words, found in the article
by anchor phrase), and this script turns them into character offsets, so no offset is
counted by hand. It asserts that every span's text equals text[start:end] and that
every anchor is unique. Quantity values (kind, low, high, point) come from the
benchmark's own conventions table (bench.tasks.casualties.conventions), as GUIDELINES.md
2.2 demands. Run from the repository root:

    .venv/bin/python devset/build.py

It rewrites devset/seeds/articles.json, devset/gold/** and
gold/versions.json (gold_version 1.0.0) from devset/seeds/*.txt.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from bench.tasks.casualties.conventions import read_quantity
from bench.tasks.goldfiles import content_sha256

ROOT = Path(__file__).resolve().parent
VERSION = "1.0.0"

# ---------------------------------------------------------------------------------------
# Entities: one id, one name, one label across the four documents.
ENTITIES = {
    "veskaria": ("Veskaria", "GPE"),
    "veskarians": ("Veskarians", "NORP"),
    "dunmarra": ("Dunmarra", "GPE"),
    "dunmarrans": ("Dunmarrans", "NORP"),
    "velmites": ("Velmites", "NORP"),
    "selvane": ("Selvane", "GPE"),
    "morrowick": ("Morrowick", "GPE"),
    "vennick": ("Vennick", "GPE"),
    "tarrowin": ("Tarrowin", "GPE"),
    "calvessa": ("Calvessa", "GPE"),
    "quellin": ("Quellin", "GPE"),
    "ossel": ("Ossel", "LOC"),
    "greyfen_hills": ("Greyfen Hills", "LOC"),
    "vennick_airbase": ("Vennick airbase", "FAC"),
    "brasken_general_hospital": ("Brasken General Hospital", "FAC"),
    "ossel_bridge": ("Ossel Bridge", "FAC"),
    "drossel_mill": ("Drossel Mill", "FAC"),
    "ombrecht_tunnel": ("Ombrecht Tunnel", "FAC"),
    "vorsk_ridge_prison": ("Vorsk Ridge prison", "FAC"),
    "harvest_offensive": ("Harvest Offensive", "EVENT"),
    "selvane_peace_conference": ("Selvane Peace Conference", "EVENT"),
    "quellin_round": ("Quellin Round", "EVENT"),
    "clf": ("Calvessa Liberation Front", "ORG"),
    "ovc": ("Observatory for Veskarian Civilians", "ORG"),
    "vdc": ("Veskarian Defence Corps", "ORG"),
    "vena": ("Veskarian News Agency", "ORG"),
    "vrc": ("Veskarian Relief Commission", "ORG"),
    "kat": ("Kelvara Aid Trust", "ORG"),
    "interior_ministry": ("Interior Ministry", "ORG"),
    "sons_of_the_greyfen": ("Sons of the Greyfen", "ORG"),
    "selvane_courier": ("Selvane Courier", "ORG"),
    "kestwire": ("Kestwire", "ORG"),
    "vesk24": ("Vesk24", "ORG"),
    "halvex_images": ("Halvex Images", "ORG"),
    "anneke_sprault": ("Anneke Sprault", "PER"),
    "maren_olvast": ("Maren Olvast", "PER"),
    "tobin_rask": ("Tobin Rask", "PER"),
    "edrin_vasko": ("Edrin Vasko", "PER"),
    "rufin_osk": ("Rufin Osk", "PER"),
    "ottilie_brask": ("Ottilie Brask", "PER"),
    "lenn_harsk": ("Lenn Harsk", "PER"),
    "sefa_morrin": ("Sefa Morrin", "PER"),
    "aurel_tesk": ("Aurel Tesk", "PER"),
    "jarek_vaskell": ("Jarek Vaskell", "PER"),
    "mira_dovrane": ("Mira Dovrane", "PER"),
    "daan_virel": ("Daan Virel", "PER"),
    "lisbet_aronne": ("Lisbet Aronne", "PER"),
}


class Doc:
    def __init__(self, key: str, text: str):
        self.key = key
        self.text = text

    def at(self, anchor: str, sub: str | None = None, nth: int = 1) -> dict:
        """The span of `sub` (its nth whole-word occurrence) inside the unique `anchor` phrase."""
        count = self.text.count(anchor)
        assert count == 1, f"{self.key}: anchor {anchor!r} occurs {count} times"
        base = self.text.index(anchor)
        sub = anchor if sub is None else sub
        found = [m.start() for m in re.finditer(re.escape(sub), anchor)
                 if (m.start() == 0 or not (anchor[m.start() - 1].isalnum() or anchor[m.start() - 1] == "_"))
                 and (m.end() == len(anchor) or not (anchor[m.end()].isalnum() or anchor[m.end()] == "_"))]
        assert len(found) >= nth, f"{self.key}: {sub!r} not {nth} times in {anchor!r}"
        start = base + found[nth - 1]
        span = {"start": start, "end": start + len(sub), "text": sub}
        assert self.text[span["start"]:span["end"]] == sub
        return span


def S(anchor: str, sub: str | None = None, nth: int = 1) -> tuple:
    return (anchor, sub, nth)


# ---------------------------------------------------------------------------------------
# Article metadata (what each text states about itself).
ARTICLES = {
    "901": {
        "outlet": None,
        "headline": "At Least 40 Killed as Rebels Shell Veskarian River Town",
        "date": "2024-10-14",
        "date_as_written": "14 October 2024",
        "byline": None,
        "notes": "Invented article (development set). The text names no outlet of its own (the Selvane Courier is an outlet it quotes) and no author. The date is the dateline's.",
    },
    "902": {
        "outlet": "Kestwire",
        "headline": "Army Says Scores of Rebels Killed in Push on Tarrowin",
        "date": "2024-10-16",
        "date_as_written": "Oct 16, 2024",
        "byline": None,
        "notes": "Invented article (development set). The outlet is the wire named in the dateline '(Kestwire)'; there is no byline.",
    },
    "903": {
        "outlet": None,
        "headline": "Aid Convoy Seized in Greyfen Hills as Thousands Flee Fighting",
        "date": "2024-10-18",
        "date_as_written": "18 October 2024",
        "byline": "Ottilie Brask",
        "notes": "Invented article (development set). The text names no outlet of its own (Vesk24 is an outlet it quotes). The byline is the 'By' line.",
    },
    "904": {
        "outlet": "Kestwire",
        "headline": "Talks Resume in Dunmarra as Mass Grave Found Near Vennick",
        "date": "2024-10-27",
        "date_as_written": "Oct 27, 2024",
        "byline": "Jarek Vaskell",
        "notes": "Invented article (development set). The outlet is the wire named in the dateline '(Kestwire)'; the byline is the 'By' line. The headline is repeated in lower case below the subhead.",
    },
}

# ---------------------------------------------------------------------------------------
# NER: (anchor, sub, nth, entity) in text order.
NER = {
    "901": [
        S("Shell Veskarian River", "Veskarian") + ("veskarians",),
        S("dozens more were wounded in Morrowick", "Morrowick") + ("morrowick",),
        S("the CLF-led offensive", "CLF") + ("clf",),
        S("VENNICK, Veskaria, 14", "VENNICK") + ("vennick",),
        S("VENNICK, Veskaria, 14", "Veskaria") + ("veskaria",),
        S("central market in Morrowick on Monday", "Morrowick") + ("morrowick",),
        S("Photo: Anneke Sprault/Halvex Images", "Anneke Sprault") + ("anneke_sprault",),
        S("Photo: Anneke Sprault/Halvex Images", "Halvex Images") + ("halvex_images",),
        S("river town of Morrowick on Monday", "Morrowick") + ("morrowick",),
        S("the Observatory for Veskarian Civilians (OVC) said", "Observatory for Veskarian Civilians") + ("ovc",),
        S("the Observatory for Veskarian Civilians (OVC) said", "OVC") + ("ovc",),
        S("Maren Olvast, the OVC’s director", "Maren Olvast") + ("maren_olvast",),
        S("Maren Olvast, the OVC’s director", "OVC") + ("ovc",),
        S("told the Selvane Courier. “Nobody", "Selvane Courier") + ("selvane_courier",),
        S("The Calvessa Liberation Front (CLF), which", "Calvessa Liberation Front") + ("clf",),
        S("The Calvessa Liberation Front (CLF), which", "CLF") + ("clf",),
        S("held the Greyfen Hills since", "Greyfen Hills") + ("greyfen_hills",),
        S("since the Harvest Offensive two years", "Harvest Offensive") + ("harvest_offensive",),
        S("A CLF spokesman, Tobin Rask, said", "CLF") + ("clf",),
        S("A CLF spokesman, Tobin Rask, said", "Tobin Rask") + ("tobin_rask",),
        S("around Vennick airbase, a", "Vennick airbase") + ("vennick_airbase",),
        S("a Veskarian Defence Corps (VDC) base", "Veskarian Defence Corps") + ("vdc",),
        S("a Veskarian Defence Corps (VDC) base", "VDC") + ("vdc",),
        S("Defence Minister Edrin Vasko called", "Edrin Vasko") + ("edrin_vasko",),
        S("against every Veskarian family", "Veskarian") + ("veskarians",),
        S("The Selvane Courier, citing the OVC, reported", "Selvane Courier") + ("selvane_courier",),
        S("The Selvane Courier, citing the OVC, reported", "OVC") + ("ovc",),
        S("wounded in Morrowick and were", "Morrowick") + ("morrowick",),
        S("treated at Brasken General Hospital, where", "Brasken General Hospital") + ("brasken_general_hospital",),
        S("Neighbouring Dunmarra, across the Ossel, has", "Dunmarra") + ("dunmarra",),
        S("Neighbouring Dunmarra, across the Ossel, has", "Ossel") + ("ossel",),
        S("Velmite clergy in the town", "Velmite") + ("velmites",),
        S("since Vasko’s government", "Vasko") + ("edrin_vasko",),
        S("from the Selvane Peace Conference in March", "Selvane Peace Conference") + ("selvane_peace_conference",),
    ],
    "902": [
        S("Killed in Push on Tarrowin", "Tarrowin") + ("tarrowin",),
        S("the town’s Velmite quarter", "Velmite") + ("velmites",),
        S("Smoke rises over Tarrowin after", "Tarrowin") + ("tarrowin",),
        S("Photo: Rufin Osk/Kestwire", "Rufin Osk") + ("rufin_osk",),
        S("Photo: Rufin Osk/Kestwire", "Kestwire") + ("kestwire",),
        S("SELVANE, Veskaria, Oct 16, 2024 (Kestwire) – Veskaria’s army", "SELVANE") + ("selvane",),
        S("SELVANE, Veskaria, Oct 16, 2024 (Kestwire) – Veskaria’s army", "Veskaria") + ("veskaria",),
        S("SELVANE, Veskaria, Oct 16, 2024 (Kestwire) – Veskaria’s army", "Kestwire") + ("kestwire",),
        S("SELVANE, Veskaria, Oct 16, 2024 (Kestwire) – Veskaria’s army", "Veskaria", 2) + ("veskaria",),
        S("fighters of the Calvessa Liberation Front in", "Calvessa Liberation Front") + ("clf",),
        S("assault on Tarrowin, the rebels", "Tarrowin") + ("tarrowin",),
        S("south of the Ossel.", "Ossel") + ("ossel",),
        S("The state-run Veskarian News Agency (VENA) reported", "Veskarian News Agency") + ("vena",),
        S("The state-run Veskarian News Agency (VENA) reported", "VENA") + ("vena",),
        S("citing a VDC statement", "VDC") + ("vdc",),
        S("recaptured the Ossel Bridge and", "Ossel Bridge") + ("ossel_bridge",),
        S("The Observatory for Veskarian Civilians (OVC), which tracks", "Observatory for Veskarian Civilians") + ("ovc",),
        S("The Observatory for Veskarian Civilians (OVC), which tracks", "OVC") + ("ovc",),
        S("from neighbouring Dunmarra, said", "Dunmarra") + ("dunmarra",),
        S("air strikes on Tarrowin since Sunday", "Tarrowin") + ("tarrowin",),
        S("The OVC also said", "OVC") + ("ovc",),
        S("shelter near Drossel Mill.", "Drossel Mill") + ("drossel_mill",),
        S("an OVC researcher in the town told Kestwire", "OVC") + ("ovc",),
        S("an OVC researcher in the town told Kestwire", "Kestwire") + ("kestwire",),
        S("CLF spokesman Tobin Rask told", "CLF") + ("clf",),
        S("CLF spokesman Tobin Rask told", "Tobin Rask") + ("tobin_rask",),
        S("were “VENA fairy tales", "VENA") + ("vena",),
        S("Defence Minister Edrin Vasko said", "Edrin Vasko") + ("edrin_vasko",),
        S("the last CLF gunman", "CLF") + ("clf",),
        S("relied on Dunmarran-made drones", "Dunmarran") + ("dunmarrans",),
        S("according to VDC officers", "VDC") + ("vdc",),
        S("In Selvane, police arrested", "Selvane") + ("selvane",),
        S("raids on CLF safe houses, the Interior Ministry said", "CLF") + ("clf",),
        S("raids on CLF safe houses, the Interior Ministry said", "Interior Ministry") + ("interior_ministry",),
        S("road out of Tarrowin on Wednesday", "Tarrowin") + ("tarrowin",),
        S("Vasko’s critics in parliament", "Vasko") + ("edrin_vasko",),
        S("reviving the Selvane Peace Conference before", "Selvane Peace Conference") + ("selvane_peace_conference",),
    ],
    "903": [
        S("Aid Convoy Seized in Greyfen Hills as", "Greyfen Hills") + ("greyfen_hills",),
        S("abducted near Calvessa, Kelvara Aid Trust says", "Calvessa") + ("calvessa",),
        S("abducted near Calvessa, Kelvara Aid Trust says", "Kelvara Aid Trust") + ("kat",),
        S("By Ottilie Brask", "Ottilie Brask") + ("ottilie_brask",),
        S("CALVESSA, Veskaria — 18", "CALVESSA") + ("calvessa",),
        S("CALVESSA, Veskaria — 18", "Veskaria") + ("veskaria",),
        S("Families from Calvessa province", "Calvessa") + ("calvessa",),
        S("on the Dunmarran border. Photo", "Dunmarran") + ("dunmarrans",),
        S("Photo: Lenn Harsk/Halvex Images", "Lenn Harsk") + ("lenn_harsk",),
        S("Photo: Lenn Harsk/Halvex Images", "Halvex Images") + ("halvex_images",),
        S("at the Ombrecht Tunnel on Thursday", "Ombrecht Tunnel") + ("ombrecht_tunnel",),
        S("bound for the Greyfen Hills, the", "Greyfen Hills") + ("greyfen_hills",),
        S("the Dunmarra-based Kelvara Aid Trust (KAT) said", "Dunmarra") + ("dunmarra",),
        S("the Dunmarra-based Kelvara Aid Trust (KAT) said", "Kelvara Aid Trust") + ("kat",),
        S("the Dunmarra-based Kelvara Aid Trust (KAT) said", "KAT") + ("kat",),
        S("KAT said the kidnappers", "KAT") + ("kat",),
        S("calling itself the Sons of the Greyfen, which", "Sons of the Greyfen") + ("sons_of_the_greyfen",),
        S("KAT director Sefa Morrin said", "KAT") + ("kat",),
        S("KAT director Sefa Morrin said", "Sefa Morrin") + ("sefa_morrin",),
        S("news conference in Selvane.", "Selvane") + ("selvane",),
        S("Vesk24, an independent news site, quoted a KAT logistics officer", "Vesk24") + ("vesk24",),
        S("Vesk24, an independent news site, quoted a KAT logistics officer", "KAT") + ("kat",),
        S("A CLF commander told Vesk24 that", "CLF") + ("clf",),
        S("A CLF commander told Vesk24 that", "Vesk24") + ("vesk24",),
        S("have fled Calvessa since the CLF-led offensive", "Calvessa") + ("calvessa",),
        S("have fled Calvessa since the CLF-led offensive", "CLF") + ("clf",),
        S("the Veskarian Relief Commission (VRC), a government body", "Veskarian Relief Commission") + ("vrc",),
        S("the Veskarian Relief Commission (VRC), a government body", "VRC") + ("vrc",),
        S("at a clinic in Vennick said", "Vennick") + ("vennick",),
        S("Most were Velmite farmers", "Velmite") + ("velmites",),
        S("during the Harvest Offensive, the doctors", "Harvest Offensive") + ("harvest_offensive",),
        S("The VRC’s chairman, Aurel Tesk, said", "VRC") + ("vrc",),
        S("The VRC’s chairman, Aurel Tesk, said", "Aurel Tesk") + ("aurel_tesk",),
        S("Tesk also blamed Dunmarran officials", "Tesk") + ("aurel_tesk",),
        S("Tesk also blamed Dunmarran officials", "Dunmarran") + ("dunmarrans",),
        S("Dunmarra’s foreign ministry", "Dunmarra") + ("dunmarra",),
    ],
    "904": [
        S("Talks Resume in Dunmarra as Mass Grave Found Near Vennick", "Dunmarra") + ("dunmarra",),
        S("Talks Resume in Dunmarra as Mass Grave Found Near Vennick", "Vennick") + ("vennick",),
        S("talks resume in dunmarra as mass grave found near vennick", "dunmarra") + ("dunmarra",),
        S("talks resume in dunmarra as mass grave found near vennick", "vennick") + ("vennick",),
        S("at the site outside Vennick on Saturday", "Vennick") + ("vennick",),
        S("Photo: Rufin Osk/Kestwire", "Rufin Osk") + ("rufin_osk",),
        S("Photo: Rufin Osk/Kestwire", "Kestwire") + ("kestwire",),
        S("By Jarek Vaskell", "Jarek Vaskell") + ("jarek_vaskell",),
        S("QUELLIN, Dunmarra, Oct 27, 2024 (Kestwire) – Veskarian government", "QUELLIN") + ("quellin",),
        S("QUELLIN, Dunmarra, Oct 27, 2024 (Kestwire) – Veskarian government", "Dunmarra") + ("dunmarra",),
        S("QUELLIN, Dunmarra, Oct 27, 2024 (Kestwire) – Veskarian government", "Kestwire") + ("kestwire",),
        S("QUELLIN, Dunmarra, Oct 27, 2024 (Kestwire) – Veskarian government", "Veskarian") + ("veskarians",),
        S("in the Dunmarran capital on Sunday", "Dunmarran") + ("dunmarrans",),
        S("after the Selvane Peace Conference collapsed", "Selvane Peace Conference") + ("selvane_peace_conference",),
        S("The Dunmarran-brokered Quellin Round is chaired by envoy Mira Dovrane", "Dunmarran") + ("dunmarrans",),
        S("The Dunmarran-brokered Quellin Round is chaired by envoy Mira Dovrane", "Quellin Round") + ("quellin_round",),
        S("The Dunmarran-brokered Quellin Round is chaired by envoy Mira Dovrane", "Mira Dovrane") + ("mira_dovrane",),
        S("investigators from the Observatory for Veskarian Civilians (OVC) said", "Observatory for Veskarian Civilians") + ("ovc",),
        S("investigators from the Observatory for Veskarian Civilians (OVC) said", "OVC") + ("ovc",),
        S("field outside Vennick, many", "Vennick") + ("vennick",),
        S("The OVC said the men", "OVC") + ("ovc",),
        S("The Selvane Courier, quoting OVC field coordinator Daan Virel, reported", "Selvane Courier") + ("selvane_courier",),
        S("The Selvane Courier, quoting OVC field coordinator Daan Virel, reported", "OVC") + ("ovc",),
        S("The Selvane Courier, quoting OVC field coordinator Daan Virel, reported", "Daan Virel") + ("daan_virel",),
        S("moved from Vorsk Ridge prison in", "Vorsk Ridge prison") + ("vorsk_ridge_prison",),
        S("final weeks of the Harvest Offensive.", "Harvest Offensive") + ("harvest_offensive",),
        S("said Tobin Rask, who leads the CLF delegation", "Tobin Rask") + ("tobin_rask",),
        S("said Tobin Rask, who leads the CLF delegation", "CLF") + ("clf",),
        S("killed near the Ombrecht Tunnel on Friday night", "Ombrecht Tunnel") + ("ombrecht_tunnel",),
        S("the VDC said. VDC commanders", "VDC") + ("vdc",),
        S("the VDC said. VDC commanders", "VDC", 2) + ("vdc",),
        S("response to CLF “provocations", "CLF") + ("clf",),
        S("Veskaria’s foreign minister, Lisbet Aronne, said", "Veskaria") + ("veskaria",),
        S("Veskaria’s foreign minister, Lisbet Aronne, said", "Lisbet Aronne") + ("lisbet_aronne",),
        S("its delegation in Quellin until", "Quellin") + ("quellin",),
        S("Kestwire could not reach", "Kestwire") + ("kestwire",),
        S("reach the Sons of the Greyfen, who", "Sons of the Greyfen") + ("sons_of_the_greyfen",),
        S("seven KAT aid workers", "KAT") + ("kat",),
    ],
}

# ---------------------------------------------------------------------------------------
# Casualty figures. Spans are S(anchor, sub); `entity` of an argument is filled from the
# NER gold. Figures are listed in text order.
FIGURES = {
    "901": [
        dict(q=S("At Least 40 Killed as Rebels", "At Least 40"), outcome="killed",
             victim=None, category="unknown", alts=None,
             perpetrator=S("Killed as Rebels Shell", "Rebels"), in_headline=True,
             note="No counted noun in the headline. The subject of 'Shell' is the perpetrator. 'Veskarian River Town' is a description, not a place name, so there is no location."),
        dict(q=S("say dozens more were wounded", "dozens"), outcome="injured",
             victim=None, category="unknown", alts=None,
             location=S("wounded in Morrowick as", "Morrowick"), in_headline=True),
        dict(q=S("At least 40 people were killed", "At least 40"), outcome="killed",
             victim=S("At least 40 people were killed", "people"), category="unknown", alts=None,
             perpetrator=S("when rebel artillery struck", "rebel artillery"),
             location=S("river town of Morrowick on Monday", "Morrowick"),
             time=S("river town of Morrowick on Monday", "on Monday"),
             note="'people' is unknown (2.3). The next paragraph says most of the dead were civilians, but no paragraph of this sentence describes two-sided fighting or violence against people in the perpetrator's power, so no second category."),
        dict(q=S("killed and dozens wounded when", "dozens"), outcome="injured",
             victim=None, category="unknown", alts=None,
             perpetrator=S("when rebel artillery struck", "rebel artillery"),
             location=S("river town of Morrowick on Monday", "Morrowick"),
             time=S("river town of Morrowick on Monday", "on Monday"),
             note="'dozens wounded' shares the sentence's perpetrator, place and time with 'At least 40 people were killed'."),
        dict(q=S("that 11 children were among those killed", "11"), outcome="killed",
             victim=S("that 11 children were among those killed", "children"), category="civilians", alts=None,
             note="A subset of the 40; its own record (figures are never reconciled)."),
        dict(q=S("that more than 60 people had been wounded", "more than 60"), outcome="injured",
             victim=S("that more than 60 people had been wounded", "people"), category="unknown", alts=None,
             location=S("wounded in Morrowick and were", "Morrowick"),
             note="'late on Monday' is when it was reported, not a time of the wounding; the hospital is where they were treated."),
        dict(q=S("displaced about 3,000 residents", "about 3,000"), outcome="displaced",
             victim=S("displaced about 3,000 residents", "residents"), category="civilians", alts=None),
    ],
    "902": [
        dict(q=S("Army Says Scores of Rebels", "Scores"), outcome="killed",
             victim=S("Army Says Scores of Rebels", "Rebels"), category="armed_group", alts=None,
             location=S("in Push on Tarrowin", "Tarrowin"), in_headline=True),
        dict(q=S("counts at least 17 civilian dead", "at least 17"), outcome="killed",
             victim=S("counts at least 17 civilian dead", "civilian dead"), category="civilians", alts=None,
             in_headline=True,
             note="'the town’s Velmite quarter' is a description of a place, not a place name: no location."),
        dict(q=S("killed as many as 85 fighters", "as many as 85"), outcome="killed",
             victim=S("as many as 85 fighters of the Calvessa Liberation Front", "fighters of the Calvessa Liberation Front"),
             category="armed_group", alts=None,
             perpetrator=S("that its troops had killed", "its troops"),
             location=S("three-day assault on Tarrowin, the", "Tarrowin")),
        dict(q=S("said at least 17 civilians had been killed", "at least 17"), outcome="killed",
             victim=S("said at least 17 civilians had been killed", "civilians"), category="civilians", alts=None,
             perpetrator=S("killed in government air strikes on", "government air strikes"),
             location=S("air strikes on Tarrowin since Sunday", "Tarrowin"),
             time=S("air strikes on Tarrowin since Sunday", "since Sunday")),
        dict(q=S("said nine people were missing", "nine"), outcome="missing",
             victim=S("said nine people were missing", "people"), category="unknown", alts=None,
             location=S("shelter near Drossel Mill", "Drossel Mill"),
             note="Missing after a strike on a shelter: the text does not say who they were."),
        dict(q=S("police arrested 23 people in raids", "23"), outcome="arrested",
             victim=S("police arrested 23 people in raids", "people"), category="unknown", alts=None,
             perpetrator=S("police arrested 23 people in raids", "police"),
             location=S("In Selvane, police", "Selvane")),
    ],
    "903": [
        dict(q=S("as Thousands Flee Fighting", "Thousands"), outcome="displaced",
             victim=None, category="unknown", alts=None, in_headline=True,
             note="'in Greyfen Hills' places the seizure of the convoy, not the flight."),
        dict(q=S("Seven relief workers abducted", "Seven"), outcome="kidnapped",
             victim=S("Seven relief workers abducted", "relief workers"), category="civilians", alts=None,
             location=S("abducted near Calvessa, Kelvara", "Calvessa"), in_headline=True),
        dict(q=S("abducted at least seven aid workers", "at least seven"), outcome="kidnapped",
             victim=S("abducted at least seven aid workers", "aid workers"), category="civilians", alts=None,
             perpetrator=S("Gunmen abducted at least", "Gunmen"),
             location=S("at the Ombrecht Tunnel on Thursday", "Ombrecht Tunnel"),
             time=S("at the Ombrecht Tunnel on Thursday", "on Thursday")),
        dict(q=S("Some 12,000 people have fled", "Some 12,000"), outcome="displaced",
             victim=S("Some 12,000 people have fled", "people"), category="unknown", alts=None,
             location=S("have fled Calvessa since", "Calvessa"),
             time=S("since the CLF-led offensive began last month", "since the CLF-led offensive began last month")),
        dict(q=S("treated dozens of people injured by landmines", "dozens"), outcome="injured",
             victim=S("treated dozens of people injured by landmines", "people"), category="unknown", alts=None,
             time=S("on the mountain roads this week", "this week"),
             note="Landmines are not a perpetrator; 'the mountain roads' names no place."),
    ],
    "904": [
        dict(q=S("the remains of at least 26 men were recovered", "at least 26"), outcome="killed",
             victim=S("the remains of at least 26 men were recovered", "men"), category="unknown", alts=None,
             in_headline=True,
             note="Remains recovered: the men are dead (killed). The subhead does not say how they died, so no second category. 'outside the town' is where they were found, not a name."),
        dict(q=S("the remains of at least 26 men had been recovered", "at least 26"), outcome="killed",
             victim=S("the remains of at least 26 men had been recovered", "men"), category="unknown",
             alts=["unknown", "civilians"],
             note="The paragraph says the men appear to have been executed: one-sided violence, so civilians is defensible (2.3). Vennick is where the remains were found, not where the men died: no location."),
        dict(q=S("say as many as 200 detainees", "as many as 200"), outcome="missing",
             victim=S("say as many as 200 detainees", "detainees"), category="unknown", alts=None),
        dict(q=S("Between 30 and 45 rebel fighters were killed", "Between 30 and 45"), outcome="killed",
             victim=S("Between 30 and 45 rebel fighters were killed", "rebel fighters"), category="armed_group", alts=None,
             location=S("killed near the Ombrecht Tunnel on Friday night", "Ombrecht Tunnel"),
             time=S("killed near the Ombrecht Tunnel on Friday night", "on Friday night")),
        dict(q=S("who abducted seven KAT aid workers last week", "seven"), outcome="kidnapped",
             victim=S("who abducted seven KAT aid workers last week", "KAT aid workers"), category="civilians", alts=None,
             perpetrator=S("reach the Sons of the Greyfen, who abducted", "Sons of the Greyfen"),
             time=S("who abducted seven KAT aid workers last week", "last week"),
             note="The relative pronoun 'who' stands for the Sons of the Greyfen, named in the same sentence."),
    ],
}

NON_CASUALTY = {
    "901": [
        (S("VENNICK, Veskaria, 14 October 2024", "14 October 2024"), "date"),
        (S("the Harvest Offensive two years ago", "two years"), "duration"),
        (S("about 15 kilometres to the north", "15"), "other_count"),
        (S("has opened two temporary camps", "two"), "other_count"),
        (S("one priest said", "one"), "other_count"),
    ],
    "902": [
        (S("air strike on October 15.", "October 15"), "date"),
        (S("SELVANE, Veskaria, Oct 16, 2024 (Kestwire)", "Oct 16, 2024"), "date"),
        (S("in a three-day assault", "three-day"), "duration"),
        (S("“cleared” two districts", "two"), "other_count"),
        (S("have been closed for three days", "three days"), "duration"),
    ],
    "903": [
        (S("CALVESSA, Veskaria — 18 October 2024", "18 October 2024"), "date"),
        (S("asking for one thing", "one"), "other_count"),
        (S("registered 4 new camps", "4"), "other_count"),
    ],
    "904": [
        (S("QUELLIN, Dunmarra, Oct 27, 2024 (Kestwire)", "Oct 27, 2024"), "date"),
        (S("on Sunday, seven months after", "seven months"), "duration"),
        (S("the two sides had agreed", "two"), "other_count"),
        (S("outside Vennick, many of them with", "many"), "other_count"),
    ],
}

# ---------------------------------------------------------------------------------------
# Attribution. key -> record; ids are given in the text order of the cues; `parent` names a
# key. `figures` is filled from the casualty gold (every figure inside a content).
RELATIONS = {
    "901": [
        dict(key="observers", source=S("Rights observers say", "Rights observers"), type="monitor", head="observers",
             cue=S("Rights observers say", "say"),
             content=[S("say dozens more were wounded in Morrowick as the CLF-led offensive moves south", "dozens more were wounded in Morrowick as the CLF-led offensive moves south")],
             mode="indirect"),
        dict(key="ovc_said", source=S("the Observatory for Veskarian Civilians (OVC) said", "Observatory for Veskarian Civilians"), type="monitor", entity="ovc",
             cue=S("the Observatory for Veskarian Civilians (OVC) said", "said"),
             content=[S("At least 40 people were killed and dozens wounded when rebel artillery struck the river town of Morrowick on Monday")],
             mode="indirect"),
        dict(key="monitor_said", source=S("The monitor said most", "The monitor"), type="monitor", head="monitor",
             cue=S("The monitor said most", "said"),
             content=[S("most of the dead were civilians sheltering in the covered market, and that 11 children were among those killed")],
             mode="indirect"),
        dict(key="olvast", source=S("Maren Olvast, the OVC’s director, told", "Maren Olvast"), type="named_person", entity="maren_olvast",
             cue=S("Maren Olvast, the OVC’s director, told", "told"),
             content=[S("The shells fell in the middle of the morning, when the stalls were full"), S("Nobody had time to run")],
             mode="direct",
             note="The Selvane Courier is the addressee, not a source. The second quote continues the first with no new cue."),
        dict(key="clf_denied", source=S("The Calvessa Liberation Front (CLF), which", "Calvessa Liberation Front"), type="named_org", entity="clf",
             cue=S("two years ago, denied targeting", "denied"),
             content=[S("denied targeting civilians", "targeting civilians")],
             mode="indirect", note="A denial is attributed content."),
        dict(key="rask", source=S("A CLF spokesman, Tobin Rask, said", "Tobin Rask"), type="named_person", entity="tobin_rask",
             cue=S("A CLF spokesman, Tobin Rask, said", "said"),
             content=[S("the group had fired only at “military positions” around Vennick airbase, a Veskarian Defence Corps (VDC) base about 15 kilometres to the north")],
             mode="mixed"),
        dict(key="vasko_called", source=S("Defence Minister Edrin Vasko called", "Edrin Vasko"), type="named_person", entity="edrin_vasko",
             cue=S("Defence Minister Edrin Vasko called", "called"),
             content=[S("the attack “a crime against every Veskarian family")],
             mode="mixed", note="call X Y: the content runs from X through Y."),
        dict(key="vasko_said", source=S("Defence Minister Edrin Vasko called", "Edrin Vasko"), type="named_person", entity="edrin_vasko",
             cue=S("and said the army would respond firmly", "said"),
             content=[S("the army would respond firmly")],
             mode="indirect", note="A second cue of the same source, like 'adding that'."),
        dict(key="ovc_citing", source=S("The Selvane Courier, citing the OVC, reported", "OVC"), type="monitor", entity="ovc",
             cue=S("The Selvane Courier, citing the OVC, reported", "citing"),
             content=[S("more than 60 people had been wounded in Morrowick and were being treated at Brasken General Hospital, where doctors were working without power")],
             mode="indirect", parent="courier", coverage="full",
             note="Nested citing: the Courier reports what the OVC said (the whole of it: no 'in part')."),
        dict(key="courier", source=S("The Selvane Courier, citing the OVC, reported", "Selvane Courier"), type="media", entity="selvane_courier",
             cue=S("The Selvane Courier, citing the OVC, reported", "reported"),
             content=[S("more than 60 people had been wounded in Morrowick and were being treated at Brasken General Hospital, where doctors were working without power")],
             mode="indirect"),
        dict(key="according", source=S("According to the monitor, the shelling", "the monitor"), type="monitor", head="monitor",
             cue=S("According to the monitor, the shelling", "According to"),
             content=[S("the shelling has also displaced about 3,000 residents from the town’s eastern districts")],
             mode="indirect"),
        dict(key="clergy", source=S("Velmite clergy in the town urged", "Velmite clergy in the town"), type="unnamed_group", head="clergy",
             cue=S("Velmite clergy in the town urged", "urged"),
             content=[S("urged residents to stay calm", "residents to stay calm")],
             mode="indirect"),
        dict(key="priest", source=S("one priest said", "one priest"), type="unnamed_individual", head="priest",
             cue=S("one priest said", "said"),
             content=[S("We have buried our neighbours before, and we will rebuild again")],
             mode="direct"),
    ],
    "902": [
        dict(key="army_headline", source=S("Army Says Scores", "Army"), type="official", head="Army",
             cue=S("Army Says Scores", "Says"),
             content=[S("Scores of Rebels Killed in Push on Tarrowin")],
             mode="indirect"),
        dict(key="rights_group", source=S("Rights group counts", "Rights group"), type="monitor", head="group",
             cue=S("Rights group counts", "counts"),
             content=[S("at least 17 civilian dead from air strikes on the town’s Velmite quarter")],
             mode="indirect", note="'counts' reports the group's tally, like 'estimated'."),
        dict(key="army", source=S("Veskaria’s army said on Wednesday", "Veskaria’s army"), type="official", head="army",
             cue=S("Veskaria’s army said on Wednesday", "said"),
             content=[S("its troops had killed as many as 85 fighters of the Calvessa Liberation Front in a three-day assault on Tarrowin, the rebels’ last stronghold south of the Ossel")],
             mode="indirect", note="The complementiser 'that' is left out."),
        dict(key="vena", source=S("The state-run Veskarian News Agency (VENA) reported", "Veskarian News Agency"), type="state_media", entity="vena",
             cue=S("The state-run Veskarian News Agency (VENA) reported", "reported"),
             content=[S("troops had recaptured the Ossel Bridge and “cleared” two districts of the town")],
             mode="mixed"),
        dict(key="vdc_statement", source=S("citing a VDC statement", "a VDC statement"), type="document", head="statement",
             cue=S("citing a VDC statement", "citing"),
             content=[S("troops had recaptured the Ossel Bridge and “cleared” two districts of the town")],
             mode="mixed", parent="vena", coverage="full"),
        dict(key="ovc_17", source=S("The Observatory for Veskarian Civilians (OVC), which tracks", "Observatory for Veskarian Civilians"), type="monitor", entity="ovc",
             cue=S("from neighbouring Dunmarra, said at least", "said"),
             content=[S("at least 17 civilians had been killed in government air strikes on Tarrowin since Sunday")],
             mode="indirect"),
        dict(key="ovc_9", source=S("The OVC also said", "OVC"), type="monitor", entity="ovc",
             cue=S("The OVC also said", "said"),
             content=[S("nine people were missing after a strike on a shelter near Drossel Mill")],
             mode="indirect"),
        dict(key="researcher", source=S("an OVC researcher in the town told", "an OVC researcher in the town"), type="unnamed_individual", head="researcher",
             cue=S("an OVC researcher in the town told", "told"),
             content=[S("Nobody can reach the clinic, and the bakeries have been closed for three days")],
             mode="direct", note="Kestwire is the addressee."),
        dict(key="rask", source=S("CLF spokesman Tobin Rask told", "Tobin Rask"), type="named_person", entity="tobin_rask",
             cue=S("CLF spokesman Tobin Rask told", "told"),
             content=[S("his fighters had “withdrawn in good order” and that reports of heavy losses were “VENA fairy tales")],
             mode="mixed"),
        dict(key="vasko", source=S("Defence Minister Edrin Vasko said", "Edrin Vasko"), type="named_person", entity="edrin_vasko",
             cue=S("Defence Minister Edrin Vasko said", "said"),
             content=[S("the operation would continue “until the last CLF gunman has laid down his weapon")],
             mode="mixed"),
        dict(key="vdc_officers", source=S("according to VDC officers", "VDC officers"), type="official", head="officers",
             cue=S("according to VDC officers", "according to"),
             content=[S("The rebels have relied on Dunmarran-made drones since the spring")],
             mode="indirect"),
        dict(key="ministry", source=S("the Interior Ministry said", "Interior Ministry"), type="official", entity="interior_ministry",
             cue=S("the Interior Ministry said", "said"),
             content=[S("In Selvane, police arrested 23 people in raids on CLF safe houses")],
             mode="indirect"),
        dict(key="lawyers", source=S("Rights lawyers said", "Rights lawyers"), type="unnamed_group", head="lawyers",
             cue=S("Rights lawyers said", "said"),
             content=[S("the detainees had been held without charge")],
             mode="indirect"),
        dict(key="critics", source=S("Vasko’s critics in parliament say", "Vasko’s critics in parliament"), type="unnamed_group", head="critics",
             cue=S("Vasko’s critics in parliament say", "say"),
             content=[S("the assault has buried any hope of reviving the Selvane Peace Conference before winter")],
             mode="indirect"),
    ],
    "903": [
        dict(key="kat_headline", source=S("Calvessa, Kelvara Aid Trust says", "Kelvara Aid Trust"), type="named_org", entity="kat",
             cue=S("Calvessa, Kelvara Aid Trust says", "says"),
             content=[S("Seven relief workers abducted near Calvessa")],
             mode="indirect"),
        dict(key="kat_said", source=S("the Dunmarra-based Kelvara Aid Trust (KAT) said", "Kelvara Aid Trust"), type="named_org", entity="kat",
             cue=S("the Dunmarra-based Kelvara Aid Trust (KAT) said", "said"),
             content=[S("Gunmen abducted at least seven aid workers at the Ombrecht Tunnel on Thursday after stopping a food convoy bound for the Greyfen Hills")],
             mode="indirect"),
        dict(key="kat_group", source=S("KAT said the kidnappers", "KAT"), type="named_org", entity="kat",
             cue=S("KAT said the kidnappers", "said"),
             content=[S("the kidnappers belonged to a group calling itself the Sons of the Greyfen, which has not previously been linked to attacks on relief staff")],
             mode="indirect", note="The self-naming 'calling itself' is not a relation of its own."),
        dict(key="morrin", source=S("KAT director Sefa Morrin said", "Sefa Morrin"), type="named_person", entity="sefa_morrin",
             cue=S("KAT director Sefa Morrin said", "said"),
             content=[S("We are asking for one thing: bring our colleagues home"), S("They went up that road to feed children")],
             mode="direct", note="The second quote continues the first with no new cue."),
        dict(key="vesk24", source=S("Vesk24, an independent news site, quoted", "Vesk24"), type="media", entity="vesk24",
             cue=S("Vesk24, an independent news site, quoted", "quoted"),
             content=[S("a KAT logistics officer saying that the gunmen “knew exactly which truck carried the medicine” and had let the fuel tanker go")],
             mode="mixed", note="X quoted Y saying Z: the outlet's content is Y saying Z; Y's relation nests in it."),
        dict(key="officer", source=S("quoted a KAT logistics officer saying", "a KAT logistics officer"), type="unnamed_individual", head="officer",
             cue=S("a KAT logistics officer saying that", "saying"),
             content=[S("the gunmen “knew exactly which truck carried the medicine” and had let the fuel tanker go")],
             mode="mixed", parent="vesk24", coverage="full"),
        dict(key="commander_told", source=S("A CLF commander told", "A CLF commander"), type="unnamed_individual", head="commander",
             cue=S("A CLF commander told", "told"),
             content=[S("the rebels had “nothing to do with this crime")],
             mode="mixed", note="Vesk24 is the addressee, not a source."),
        dict(key="commander_accused", source=S("A CLF commander told", "A CLF commander"), type="unnamed_individual", head="commander",
             cue=S("and accused government agents", "accused"),
             content=[S("accused government agents of staging the kidnapping", "government agents of staging the kidnapping")],
             mode="indirect", note="A second cue of the same source."),
        dict(key="vrc", source=S("the Veskarian Relief Commission (VRC), a government body", "Veskarian Relief Commission"), type="official", entity="vrc",
             cue=S("according to the Veskarian Relief Commission", "according to"),
             content=[S("Some 12,000 people have fled Calvessa since the CLF-led offensive began last month")],
             mode="indirect", note="A government body: official."),
        dict(key="doctors", source=S("Doctors at a clinic in Vennick said", "Doctors at a clinic in Vennick"), type="unnamed_group", head="Doctors",
             cue=S("Doctors at a clinic in Vennick said", "said"),
             content=[S("they had treated dozens of people injured by landmines on the mountain roads this week")],
             mode="indirect"),
        dict(key="the_doctors", source=S("Harvest Offensive, the doctors said", "the doctors"), type="unnamed_group", head="doctors",
             cue=S("Harvest Offensive, the doctors said", "said"),
             content=[S("Most were Velmite farmers from villages the army shelled during the Harvest Offensive")],
             mode="indirect"),
        dict(key="tesk_said", source=S("The VRC’s chairman, Aurel Tesk, said", "Aurel Tesk"), type="named_person", entity="aurel_tesk",
             cue=S("The VRC’s chairman, Aurel Tesk, said", "said"),
             content=[S("his agency had registered 4 new camps and needed far more tents than it had")],
             mode="indirect"),
        dict(key="tesk_blamed", source=S("Tesk also blamed", "Tesk"), type="named_person", entity="aurel_tesk",
             cue=S("Tesk also blamed", "blamed"),
             content=[S("Dunmarran officials for slowing trucks at the border")],
             mode="indirect", note="An accusation is attributed content (blame X for Y: X through Y)."),
    ],
    "904": [
        dict(key="investigators_head", source=S("Investigators say the remains", "Investigators"), type="unnamed_group", head="Investigators",
             cue=S("Investigators say the remains", "say"),
             content=[S("the remains of at least 26 men were recovered from a field outside the town")],
             mode="indirect"),
        dict(key="dovrane", source=S("chaired by envoy Mira Dovrane, who told", "Mira Dovrane"), type="named_person", entity="mira_dovrane",
             cue=S("Mira Dovrane, who told reporters", "told"),
             content=[S("the two sides had agreed to exchange lists of prisoners, “a small but real step")],
             mode="mixed", note="The relative pronoun 'who' is replaced by its antecedent."),
        dict(key="investigators", source=S("investigators from the Observatory for Veskarian Civilians (OVC) said", "investigators from the Observatory for Veskarian Civilians (OVC)"),
             type="monitor", head="investigators",
             cue=S("investigators from the Observatory for Veskarian Civilians (OVC) said", "said"),
             content=[S("the remains of at least 26 men had been recovered from a field outside Vennick, many of them with their hands bound")],
             mode="indirect", note="Like 'sources in the … Ministry': the source is the investigators, not the OVC; their role is a monitor's."),
        dict(key="ovc_executed", source=S("The OVC said the men", "OVC"), type="monitor", entity="ovc",
             cue=S("The OVC said the men", "said"),
             content=[S("the men appeared to have been executed")],
             mode="indirect"),
        dict(key="virel", source=S("quoting OVC field coordinator Daan Virel", "Daan Virel"), type="named_person", entity="daan_virel",
             cue=S("quoting OVC field coordinator Daan Virel", "quoting"),
             content=[S("the victims were prisoners moved from Vorsk Ridge prison in the final weeks of the Harvest Offensive")],
             mode="indirect", parent="courier", coverage="full"),
        dict(key="courier", source=S("The Selvane Courier, quoting", "Selvane Courier"), type="media", entity="selvane_courier",
             cue=S("Daan Virel, reported that", "reported"),
             content=[S("the victims were prisoners moved from Vorsk Ridge prison in the final weeks of the Harvest Offensive")],
             mode="indirect"),
        dict(key="families", source=S("Families’ groups say", "Families’ groups"), type="unnamed_group", head="groups",
             cue=S("Families’ groups say", "say"),
             content=[S("as many as 200 detainees from the prison remain missing")],
             mode="indirect"),
        dict(key="rask", source=S("said Tobin Rask, who", "Tobin Rask"), type="named_person", entity="tobin_rask",
             cue=S("said Tobin Rask, who", "said"),
             content=[S("We came to talk, not to surrender")],
             mode="direct"),
        dict(key="vdc_said", source=S("the VDC said. VDC commanders", "VDC"), type="official", entity="vdc",
             cue=S("the VDC said. VDC commanders", "said"),
             content=[S("Between 30 and 45 rebel fighters were killed near the Ombrecht Tunnel on Friday night")],
             mode="indirect"),
        dict(key="vdc_commanders", source=S("VDC commanders described", "VDC commanders"), type="official", head="commanders",
             cue=S("VDC commanders described", "described"),
             content=[S("the clash as a response to CLF “provocations")],
             mode="mixed", note="describe X as Y: the content runs from X through Y."),
        dict(key="aronne", source=S("Veskaria’s foreign minister, Lisbet Aronne, said", "Lisbet Aronne"), type="named_person", entity="lisbet_aronne",
             cue=S("Veskaria’s foreign minister, Lisbet Aronne, said", "said"),
             content=[S("the government would “never negotiate under fire” but would keep its delegation in Quellin until Wednesday")],
             mode="mixed"),
    ],
}


def main() -> None:
    seeds = ROOT / "seeds"
    texts = {p.stem[:3]: p for p in sorted(seeds.glob("9*.txt"))}
    articles, docs = [], {}
    for key, path in texts.items():
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        doc_id = path.stem
        assert doc_id == f"{key}_{sha[:16]}", f"{path.name}: rename to {key}_{sha[:16]}.txt"
        docs[key] = (doc_id, sha, Doc(key, data.decode("utf-8")))
        articles.append({"id": doc_id, **{k: ARTICLES[key][k] for k in ("outlet", "headline", "date", "date_as_written", "byline")}, "sha256": sha, "notes": ARTICLES[key]["notes"]})
        assert docs[key][2].text.startswith(ARTICLES[key]["headline"] + "\n")
    (seeds / "articles.json").write_text(json.dumps({"articles": articles}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    for key, (doc_id, sha, doc) in docs.items():
        head = {"doc_id": doc_id, "text_sha256": sha, "gold_version": VERSION}
        # NER
        mentions, used = [], []
        for i, (anchor, sub, nth, entity) in enumerate(NER[key], start=1):
            span = doc.at(anchor, sub, nth)
            mentions.append({"id": f"{key}-m{i:03d}", **span, "entity": entity})
            if entity not in used:
                used.append(entity)
        mentions.sort(key=lambda m: m["start"])
        for i, m in enumerate(mentions, start=1):
            m["id"] = f"{key}-m{i:03d}"
        ner_at = {(m["start"], m["end"]): m["entity"] for m in mentions}
        entities = [{"id": e, "name": ENTITIES[e][0], "label": ENTITIES[e][1]} for e in used]
        write(doc_id, "ner", {"doc_id": doc_id, "task": "ner", "text_sha256": sha, "gold_version": VERSION, "entities": entities, "mentions": mentions})

        # Casualties
        figures = []
        for i, f in enumerate(FIGURES[key], start=1):
            q = doc.at(*f["q"])
            read = read_quantity(q["text"])
            assert read is not None, q
            b = read.bounds
            quantity = {**q, "kind": b.kind.value, "low": b.low, "high": b.high, "point": b.point, "qualifier": read.qualifier, "vague_term": read.vague_term}

            def arg(name):
                if f.get(name) is None:
                    return None
                s = doc.at(*f[name])
                return {**s, "entity": ner_at.get((s["start"], s["end"]))}

            rec = {
                "id": f"{key}-c{i:02d}",
                "quantity": quantity,
                "outcome": f["outcome"],
                "unit": f.get("unit", "persons"),
                "victim": {"span": None if f["victim"] is None else doc.at(*f["victim"]), "category": f["category"], "category_alternatives": f["alts"]},
                "perpetrator": arg("perpetrator"),
                "location": arg("location"),
                "time": arg("time"),
                "in_headline": f.get("in_headline", False),
                "attribution": None,
            }
            if f.get("note"):
                rec["note"] = f["note"]
            figures.append(rec)
        non_casualty = [{"id": f"{key}-n{i:02d}", **doc.at(*s), "kind": kind} for i, (s, kind) in enumerate(NON_CASUALTY[key], start=1)]

        # Attribution
        rels = []
        for r in RELATIONS[key]:
            source_span = doc.at(*r["source"]) if r["source"] is not None else None
            rels.append({
                "key": r["key"],
                "source": {"span": source_span, "type": r["type"], "entity": r.get("entity"), "head": r.get("head")},
                "cue": doc.at(*r["cue"]),
                "content": [doc.at(*c) for c in r["content"]],
                "mode": r["mode"],
                "parent": r.get("parent"),
                "coverage": r.get("coverage", "full"),
                "note": r.get("note"),
            })
        rels.sort(key=lambda r: r["cue"]["start"])
        ids = {r["key"]: f"{key}-a{i:02d}" for i, r in enumerate(rels, start=1)}
        out_rels = []
        for r in rels:
            inside = [fig["id"] for fig in figures if any(c["start"] <= fig["quantity"]["start"] and fig["quantity"]["end"] <= c["end"] for c in r["content"])]
            rec = {"id": ids[r["key"]], "source": r["source"], "cue": r["cue"], "content": r["content"], "mode": r["mode"],
                   "parent": None if r["parent"] is None else ids[r["parent"]], "coverage": r["coverage"], "figures": inside}
            if r["note"]:
                rec["note"] = r["note"]
            out_rels.append(rec)
        by_id = {r["id"]: r for r in out_rels}

        def depth(rid):
            d, node = 0, by_id[rid]["parent"]
            while node is not None:
                d, node = d + 1, by_id[node]["parent"]
            return d

        for fig in figures:
            listing = [r["id"] for r in out_rels if fig["id"] in r["figures"]]
            fig["attribution"] = max(listing, key=depth) if listing else None
        write(doc_id, "casualties", {"doc_id": doc_id, "task": "casualties", "text_sha256": sha, "gold_version": VERSION, "figures": figures, "non_casualty": non_casualty})
        write(doc_id, "attribution", {"doc_id": doc_id, "task": "attribution", "text_sha256": sha, "gold_version": VERSION, "relations": out_rels})

    doc_ids = [d for d, _, _ in docs.values()]
    versions = {task: {"version": VERSION, "sha256": content_sha256(ROOT, task, doc_ids)} for task in ("ner", "casualties", "attribution")}
    (ROOT / "gold" / "versions.json").write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")


def write(doc_id: str, task: str, value: dict) -> None:
    path = ROOT / "gold" / task / f"{doc_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
