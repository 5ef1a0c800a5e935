#!/usr/bin/python3
# Derives, from a system CJK font, the copy that report.pdf's renderer uses
# (lib/document/pdf_fonts.c; docs/output.md): the same face with its CFF
# subroutines expanded into every glyph's charstring, everything else as it
# is (names, metrics, cmap, version, timestamps; GSUB/GPOS below). cairo
# 1.16's CFF subsetter cannot subset Noto Serif CJK's subroutines and embeds
# all of them (670 KB a PDF); without subroutines it embeds the glyphs used
# only.
# Outlines, glyph ids and advances of the glyphs kept are unchanged, so the
# PDF differs only in its font programs. Deterministic: the same source
# gives the same bytes.
#
# The copy also leaves out (as empty glyphs: the glyph ids stay) the glyphs
# that horizontal Simplified Chinese text cannot reach: those of no
# character that only features off by default (vertical forms, widths,
# alternates) or the language systems of Japanese, Korean and Traditional
# Chinese (locl) would substitute; GSUB/GPOS keep only the default
# horizontal features, in the ZHS and default language systems. cairo 1.16
# copies a face's whole CFF table twice per PDF (lib/document/pdf_fonts.c):
# about a third less. Every character keeps its glyph, and shaping with the
# default features for zh-Hans is the same.
#
#   scripts/derive-font.py FAMILY OUT     e.g. 'Noto Serif CJK SC' build/fonts/x.otf
#
# The source is the face fontconfig gives for FAMILY (fc-match), which must
# carry FAMILY as its own name. Writes OUT atomically. Needs python3-fonttools.
import io
import os
import subprocess
import sys

try:
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable
except ImportError:
    sys.exit("derive-font.py: python3-fonttools is needed (sh scripts/install-deps.sh)")

if len(sys.argv) != 3:
    sys.exit("usage: derive-font.py FAMILY OUT")
family, out = sys.argv[1:]
found = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family[0]}", family],
                       capture_output=True, text=True, check=True).stdout.split("\n")
if len(found) != 3 or found[2] != family:
    sys.exit(f"derive-font.py: font '{family}' is not installed (fonts-noto-cjk)")
src, index = found[0], int(found[1])

# recalcTimestamp=False keeps head.modified: the output depends on the input only.
if src.lower().endswith((".ttc", ".otc")):
    font = TTCollection(src, lazy=True, recalcTimestamp=False).fonts[index]
else:
    font = TTFont(src, lazy=True, recalcTimestamp=False)
if font["name"].getDebugName(1) != family or "CFF " not in font:
    sys.exit(f"derive-font.py: {src} face {index} is not a CFF font named '{family}'")
font["CFF "].cff.desubroutinize()
# Saved once with every glyph, so that the bounds computed on saving (head,
# hhea, the CFF FontBBox) are those of the whole face, then read back.
whole = io.BytesIO()
font.save(whole)
font = TTFont(whole, recalcBBoxes=False, recalcTimestamp=False)
offsize = font["CFF "].cff.offSize

# HarfBuzz's default features for horizontal text (hb-ot-shape.cc), in
# the language systems zh-Hans is shaped with (ZHS, and each script's
# default); the others are dropped before the closure.
FEATURES = ["abvm", "blwm", "ccmp", "locl", "mark", "mkmk", "rlig", "calt", "clig", "curs", "dist", "kern",
            "liga", "rclt", "rvrn", "ltra", "ltrm"]
for tag in ("GSUB", "GPOS"):
    if tag in font:
        for rec in font[tag].table.ScriptList.ScriptRecord:
            rec.Script.LangSysRecord = [r for r in rec.Script.LangSysRecord if r.LangSysTag == "ZHS "]
            rec.Script.LangSysCount = len(rec.Script.LangSysRecord)
options = subset.Options()
options.layout_features = FEATURES
options.retain_gids = True            # glyph ids, hence the PDF's glyph runs, stay
options.notdef_outline = True         # cairo embeds glyph 0 with every subset
options.name_IDs = ["*"]
options.name_languages = ["*"]
options.name_legacy = True
options.drop_tables = []
options.passthrough_tables = True
options.hinting = True
options.legacy_kern = True
options.prune_unicode_ranges = False
options.recalc_bounds = False
options.recalc_timestamp = False
options.recalc_average_width = False
options.recalc_max_context = False
options.canonical_order = False
options.glyph_names = True
options.symbol_cmap = True
options.legacy_cmap = True
sub = subset.Subsetter(options)
sub.populate(unicodes=font.getBestCmap().keys())
sub.subset(font)
# fontTools writes the CFF header's offSize (the size of an absolute offset,
# which no reader uses) for the smaller table; cairo copies the header into
# the PDF's subsets, so the whole face's value is kept: the same PDF bytes.
cff = bytearray(font["CFF "].compile(font))
cff[3] = offsize
font["CFF "] = DefaultTable("CFF ")
font["CFF "].data = bytes(cff)
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
tmp = out + ".tmp"
font.save(tmp)
os.replace(tmp, out)
print(f"derive-font.py: {out} from {src} face {index} ({os.path.getsize(out)} bytes)")
